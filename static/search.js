// Starts Pagefind's search UI on the search page (templates/search.html).
// The query lives in the address (?q=words), so a search can be bookmarked,
// shared and reached from the header box on every page.
(function () {
  "use strict";
  var root = document.getElementById("search");
  if (!root || typeof PagefindUI === "undefined") {
    return;
  }
  var ui = new PagefindUI({
    element: "#search",
    bundlePath: root.dataset.bundle,
    baseUrl: root.dataset.base,
    showImages: false,
    showSubResults: false,
    excerptLength: 30,
    autofocus: true,
    translations: { placeholder: "Search briefings" },
    processTerm: function (term) {
      var url = new URL(window.location.href);
      if (term) {
        url.searchParams.set("q", term);
      } else {
        url.searchParams.delete("q");
      }
      window.history.replaceState(null, "", url);
      return term;
    }
  });
  // The page's visible label names the box.
  var input = root.querySelector("input[type=text], input[type=search]");
  if (input) {
    input.setAttribute("aria-labelledby", "search-label");
  }
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    ui.triggerSearch(query);
  }
})();
