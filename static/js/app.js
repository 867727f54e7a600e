// Start GOV.UK Frontend's components (skip link, error summary focus, service navigation toggle).
if (window.GOVUKFrontend) {
  window.GOVUKFrontend.initAll();
}

// Where focus starts on a page that answers what the user just did (the error summary, when there is one, has
// taken it already): after sorting a table, the sorted column's header link (a sort link ends in its own id,
// #sort-…, which a browser loading at a fragment that is not focusable would otherwise drop focus for);
// after asking for something shown on the same page, such as a report's preview, the element marked
// data-app-focus.
(function () {
  if (document.querySelector(".govuk-error-summary")) {
    return;
  }
  var target = null;
  if (window.location.hash.indexOf("#sort-") === 0) {
    target = document.getElementById(window.location.hash.slice(1));
  }
  target = target || document.querySelector("[data-app-focus]");
  if (target) {
    target.focus();
  }
})();
