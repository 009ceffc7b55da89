// Live reload for `briefing serve`. Injected into served pages only, never
// written by `briefing build`. Listens to the server's events: reloads this
// page when a rebuild touched it, swaps stylesheets on a CSS-only change, and
// shows the build errors over the page until they are fixed.
(() => {
  "use strict";
  const here = location.pathname.replace(/index\.html$/, "");
  const events = new EventSource("/__briefing/events");
  let overlay = null;
  // Lets tests (and curious people) see that the page is listening.
  events.addEventListener("open", () => {
    document.documentElement.dataset.briefingLive = "connected";
  });

  events.addEventListener("reload", (event) => {
    const paths = event.data.split("\n");
    if (paths.includes("*") || paths.includes(here)) location.reload();
  });

  // The search index was rebuilt: the search page reloads to use it (the
  // query stays, in the address).
  events.addEventListener("search", (event) => {
    if (event.data === here) location.reload();
  });

  events.addEventListener("css", () => {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href);
      url.searchParams.set("briefing-reload", Date.now().toString());
      link.href = url.toString();
    }
  });

  events.addEventListener("errors", (event) => {
    hide();
    overlay = document.createElement("div");
    overlay.id = "briefing-errors";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText =
      "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
      "margin:0;padding:1rem 1.25rem;background:#2b0b0b;color:#ffe9e9;" +
      "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;" +
      "border-top:4px solid #e5484d;box-shadow:0 -4px 24px rgba(0,0,0,.4)";
    const title = document.createElement("strong");
    title.textContent = "briefing: the last change has errors; this is the last good version";
    overlay.append(title);
    const list = document.createElement("ul");
    list.style.cssText = "margin:.5rem 0 0;padding-left:1.25rem";
    for (const line of event.data.split("\n")) {
      const item = document.createElement("li");
      item.textContent = line; // text, never HTML
      list.append(item);
    }
    overlay.append(list);
    document.body.append(overlay);
  });

  events.addEventListener("ok", hide);

  function hide() {
    if (overlay) overlay.remove();
    overlay = null;
  }
})();
