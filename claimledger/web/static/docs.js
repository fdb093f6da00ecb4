// Swagger UI for /openapi.json, served from the vendored bundle (no CDN).
window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger" });
