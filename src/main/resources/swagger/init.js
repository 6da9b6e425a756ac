// Swagger UI over this server's own description; "Try it out" calls go to this server with the
// browser's session cookie (or a token given under Authorize).
window.ui = SwaggerUIBundle({
  url: '../api/openapi.yml',
  dom_id: '#swagger-ui',
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
});
