// ctsearch: everything works without this file; it only improves.
// - search as you type (the results part of the page is fetched and swapped in; the URL follows)
// - "/" jumps to the search box
// - a copy button for the citation
(function () {
  "use strict";

  var TYPE_DELAY = 250; // ms of quiet typing before a search

  function searchAsYouType() {
    var form = document.getElementById("search-form");
    var box = document.getElementById("q");
    var results = document.getElementById("results");
    if (!form || !box || !results || !window.fetch || !window.DOMParser) return;
    var timer = null;
    var pending = null;
    var lastUrl = location.pathname + location.search;

    function urlOfForm() {
      var params = new URLSearchParams();
      new FormData(form).forEach(function (value, name) {
        if (String(value).trim() !== "") params.append(name, value);
      });
      var qs = params.toString();
      return "/" + (qs ? "?" + qs : "");
    }

    function run() {
      var url = urlOfForm();
      if (url === lastUrl) return;
      if (box.value.trim().length === 1) return; // one letter finds everything: wait for more
      if (pending) pending.abort();
      pending = new AbortController();
      fetch(url, { signal: pending.signal, headers: { "Accept": "text/html" } })
        .then(function (response) { return response.text(); })
        .then(function (html) {
          var page = new DOMParser().parseFromString(html, "text/html");
          var fresh = page.getElementById("results");
          if (!fresh) return;
          results.replaceWith(fresh);
          results = fresh;
          lastUrl = url;
          history.replaceState(null, "", url);
          document.title = page.title;
        })
        .catch(function () { /* aborted or offline: the form still submits */ });
    }

    box.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, TYPE_DELAY);
    });
  }

  function slashFocuses() {
    var box = document.getElementById("q");
    if (!box) return;
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
      if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        box.focus();
        box.select();
      }
    });
  }

  function copyButtons() {
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      var source = document.getElementById(button.getAttribute("data-copy"));
      var status = button.parentNode.querySelector(".copied");
      if (!source) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        var text = source.textContent.trim();
        var done = function () { if (status) status.textContent = "Copied."; };
        var fallback = function () {
          var range = document.createRange();
          range.selectNodeContents(source);
          var selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
          var ok = false;
          try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
          if (status) status.textContent = ok ? "Copied." : "Selected: press Ctrl+C to copy.";
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(done, fallback);
        } else {
          fallback();
        }
      });
    });
  }

  searchAsYouType();
  slashFocuses();
  copyButtons();
})();
