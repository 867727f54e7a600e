// Start GOV.UK Frontend's components (skip link, error summary focus, service navigation toggle).
if (window.GOVUKFrontend) {
  window.GOVUKFrontend.initAll();
}
