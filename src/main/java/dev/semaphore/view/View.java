package dev.semaphore.view;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A view (a tab of templates) in upstream's JSON shape; type "all" is the project's built-in All
 * view. As upstream, {@code hidden}, {@code type} and the sort fields are left out when unset.
 */
public record View(long id, long projectId, String title, int position,
                   @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean hidden,
                   @JsonInclude(JsonInclude.Include.NON_EMPTY) String type,
                   @JsonInclude(JsonInclude.Include.NON_EMPTY) String sortColumn,
                   @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean sortReverse) {
}
