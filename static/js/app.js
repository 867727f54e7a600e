// Start GOV.UK Frontend's components (skip link, error summary focus, service navigation toggle).
if (window.GOVUKFrontend) {
  window.GOVUKFrontend.initAll();
}

// A table wider than its column scrolls sideways in its own region (includes/components/table.html). The region
// is in the Tab order, so that a keyboard can scroll it, only while it has something to scroll. Layout can
// change after this script runs (images, charts, fonts, a window resized), so each region and its table are
// watched, not measured once.
(function () {
  function tabbableWhereScrolling(region) {
    if (region.scrollWidth > region.clientWidth + 1) {
      region.setAttribute("tabindex", "0");
    } else {
      region.removeAttribute("tabindex");
    }
  }
  var regions = document.querySelectorAll(".app-table-scroll");
  regions.forEach(tabbableWhereScrolling);
  if (window.ResizeObserver) {
    var observer = new ResizeObserver(function (entries) {
      entries.forEach(function (entry) {
        tabbableWhereScrolling(entry.target.closest(".app-table-scroll"));
      });
    });
    regions.forEach(function (region) {
      observer.observe(region);
      if (region.firstElementChild) observer.observe(region.firstElementChild);
    });
  } else {
    window.addEventListener("resize", function () {
      regions.forEach(tabbableWhereScrolling);
    });
  }
})();

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
