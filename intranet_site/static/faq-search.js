// Searches as you type through /api/search; without JavaScript the form submits to /faq?q=.
(function () {
  "use strict";
  var form = document.getElementById("faq-search");
  var input = document.getElementById("faq-query");
  var region = document.getElementById("search-results");
  if (!form || !input || !region) {
    return;
  }
  var timer = null;
  var latest = 0;

  function element(tag, text, attributes) {
    var node = document.createElement(tag);
    if (text) {
      node.textContent = text; // results are shown as text, never parsed as HTML
    }
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    return node;
  }

  function show(found) {
    region.replaceChildren(element("h2", "Results for “" + found.query + "”"));
    if (found.message) {
      region.appendChild(element("p", found.message, { class: "search-message" }));
    }
    var list = element("ol");
    found.results.forEach(function (result) {
      var item = element("li", null, { class: "search-result", "data-band": result.band });
      item.appendChild(element("a", result.title, { href: result.url || "#" }));
      item.appendChild(element("p", result.snippet));
      list.appendChild(item);
    });
    region.appendChild(list);
    region.hidden = false;
  }

  function search() {
    var query = input.value.trim();
    if (!query) {
      region.hidden = true;
      history.replaceState(null, "", "/faq");
      return;
    }
    var ticket = ++latest;
    fetch("/api/search?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (found) {
        if (ticket === latest) { // an older, slower answer must not replace a newer one
          show(found);
          history.replaceState(null, "", "/faq?q=" + encodeURIComponent(query));
        }
      })
      .catch(function () {
        show({ query: query, results: [], message: "Search is unavailable right now; the FAQ can still be browsed." });
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    search();
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 300);
  });
})();
