// Swagger UI for /openapi.json, served from the vendored bundle (no CDN, no external validator).
window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger", validatorUrl: null });
