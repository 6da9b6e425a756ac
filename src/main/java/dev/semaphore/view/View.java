package dev.semaphore.view;

/** A view (a tab of templates) in upstream's JSON shape; type "all" is the project's built-in All view. */
public record View(long id, long projectId, String title, int position, boolean hidden, String type,
                   String sortColumn, boolean sortReverse) {
}
