// plansite search: a small client over a build-time index (no framework).
// Chinese is matched by character bigrams, English by word prefixes.
(function () {
  "use strict";
  var box = document.getElementById("search-results");
  if (!box) return;
  var params = new URLSearchParams(window.location.search);
  var q = (params.get("q") || "").trim();
  var input = document.getElementById("search-q");
  if (input) input.value = q;
  if (!q) return;

  function isCjk(c) { return /[\u3400-\u9fff\uf900-\ufaff]/.test(c); }
  // Terms of a query: CJK runs become bigrams (a single character stays itself), other words lowercase.
  function terms(text) {
    var out = [];
    var parts = text.toLowerCase().match(/[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9]+/g) || [];
    parts.forEach(function (p) {
      if (isCjk(p[0])) {
        if (p.length === 1) out.push(p);
        for (var i = 0; i + 1 < p.length; i++) out.push(p.substr(i, 2));
      } else {
        out.push(p);
      }
    });
    return out;
  }

  // index.terms[key] is [doc, weight, gap, weight, …]: documents ascending,
  // the first by number, the others as the gap from the one before.
  function render(index) {
    var qs = terms(q);
    var scores = {};
    qs.forEach(function (t) {
      var seen = {};
      Object.keys(index.terms).forEach(function (key) {
        var match = key === t || (!isCjk(t[0]) && t.length >= 2 && key.indexOf(t) === 0);
        if (!match) return;
        var hits = index.terms[key];
        var doc = 0;
        for (var i = 0; i + 1 < hits.length; i += 2) {
          doc += hits[i];
          if (seen[doc]) continue;
          seen[doc] = true;
          scores[doc] = (scores[doc] || 0) + hits[i + 1] + (key === t ? 1 : 0);
        }
      });
      // Every query term must match: drop documents that missed this one.
      Object.keys(scores).forEach(function (d) { if (!seen[d]) delete scores[d]; });
      if (!qs.length) scores = {};
    });
    var docs = Object.keys(scores).sort(function (a, b) { return scores[b] - scores[a] || a - b; }).slice(0, 50);
    box.textContent = "";
    var h = document.createElement("h2");
    h.textContent = box.dataset.heading + " (" + docs.length + ")";
    box.appendChild(h);
    if (!docs.length) {
      var p = document.createElement("p");
      p.textContent = box.dataset.none;
      box.appendChild(p);
      return;
    }
    var ol = document.createElement("ol");
    docs.forEach(function (id) {
      var d = index.docs[id]; // [title, url, kind, snippet]
      var li = document.createElement("li");
      var a = document.createElement("a");
      var url = d[1];
      if (box.dataset.ix) url = url.replace(/\/(#|$)/, "/" + box.dataset.ix + "$1");
      a.href = box.dataset.root + url;
      a.textContent = d[0];
      li.appendChild(a);
      var kind = document.createElement("span");
      kind.className = "result-kind";
      var k = d[2];
      kind.textContent = box.dataset["kind" + k.charAt(0).toUpperCase() + k.slice(1)] || k;
      li.appendChild(kind);
      var snip = document.createElement("p");
      snip.textContent = d[3];
      li.appendChild(snip);
      ol.appendChild(li);
    });
    box.appendChild(ol);
  }

  // The index is a script (not JSON fetched with XHR) so that search also works
  // in snapshots opened from disk, where browsers refuse fetch() on file: URLs.
  var s = document.createElement("script");
  s.src = box.dataset.index;
  s.onload = function () { if (window.PLANSITE_INDEX) render(window.PLANSITE_INDEX); };
  document.body.appendChild(s);
})();

// Indicator pages: a breakdown selector that shows one series' chart and
// table. Without JavaScript the selector stays hidden and every table shows.
(function () {
  "use strict";
  var select = document.querySelector("[data-breakdown-select]");
  if (!select) return;
  var blocks = document.querySelectorAll("[data-breakdown]");
  function show(which) {
    blocks.forEach(function (block) {
      var on = block.getAttribute("data-breakdown") === which;
      block.hidden = !on;
      var chart = block.querySelector("[data-chart]");
      if (chart) chart.hidden = !on;
    });
  }
  select.closest(".breakdown-pick").hidden = false;
  select.addEventListener("change", function () { show(select.value); });
  show(select.value);
})();

// The indicators page: buttons that show only the cards of one status.
// Without JavaScript the counts link to the lists by status instead.
(function () {
  "use strict";
  var group = document.querySelector("[data-status-filter]");
  if (!group) return;
  var buttons = group.querySelectorAll("button");
  var cells = document.querySelectorAll(".card-cell[data-status]");
  var sections = document.querySelectorAll(".indicator-group");
  group.hidden = false;
  buttons.forEach(function (button) {
    button.addEventListener("click", function () {
      var want = button.getAttribute("data-status");
      buttons.forEach(function (b) { b.setAttribute("aria-pressed", String(b === button)); });
      cells.forEach(function (cell) {
        cell.hidden = want !== "" && cell.getAttribute("data-status") !== want;
      });
      sections.forEach(function (section) {
        section.hidden = !section.querySelector(".card-cell:not([hidden])");
      });
    });
  });
})();
