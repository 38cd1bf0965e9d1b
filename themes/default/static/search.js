// plansite search: a small client over a build-time index (no framework).
// Chinese is matched by character bigrams, other words by prefix. The index is
// sharded (src/render/search.rs): a query loads index.js, the term shards of
// its terms and the document shards of the results it shows, as scripts, so
// that search also works in a snapshot opened from disk (browsers refuse
// fetch() on file: URLs).

// The tokenizer, the same as the index's (src/render/search.rs, for_each_term;
// tests/search_tokens.mjs runs both on tests/search-tokens.json). `cjk` is the
// index's list of [low, high] code-point ranges cut into bigrams.
function plansiteIsCjk(c, cjk) {
  var n = c.codePointAt(0);
  for (var i = 0; i < cjk.length; i++) if (n >= cjk[i][0] && n <= cjk[i][1]) return true;
  return false;
}

function plansiteTerms(text, cjk) {
  var isCjk = function (c) { return plansiteIsCjk(c, cjk); };
  var out = [];
  var word = "";
  var run = [];
  var endRun = function () { if (run.length === 1) out.push(run[0]); run = []; };
  // Lowercased character by character, as the index does (char::to_lowercase).
  var endWord = function () {
    if (word) out.push(Array.from(word).map(function (c) { return c.toLowerCase(); }).join(""));
    word = "";
  };
  for (var c of text) {
    if (isCjk(c)) {
      endWord();
      if (run.length) out.push(run[run.length - 1] + c);
      run.push(c);
    } else {
      endRun();
      // char::is_alphanumeric: Alphabetic or Numeric.
      if (/[\p{Alphabetic}\p{N}]/u.test(c)) word += c; else endWord();
    }
  }
  endRun();
  endWord();
  return out;
}

// The shard of a term: FNV-1a over the code points of the whole term (CJK)
// or of its first two characters (words), modulo the number of shards.
function plansiteShard(term, cjk, shards) {
  var chars = Array.from(term);
  var take = plansiteIsCjk(chars[0], cjk) ? chars.length : 2;
  var h = 0x811c9dc5;
  chars.slice(0, take).forEach(function (c) { h = Math.imul(h ^ c.codePointAt(0), 0x01000193) >>> 0; });
  return h % shards;
}

if (typeof module !== "undefined") module.exports = { plansiteTerms: plansiteTerms, plansiteShard: plansiteShard };

(function () {
  "use strict";
  if (typeof document === "undefined") return;
  var box = document.getElementById("search-results");
  if (!box) return;
  var input = document.getElementById("search-q");
  var base = box.dataset.index.replace(/index\.js$/, "");
  var SHOWN = 20;
  var loaded = {};

  // Loads a script of the index once; calls back when it has run.
  function load(name, done) {
    if (loaded[name] === true) return done();
    if (loaded[name]) return loaded[name].push(done);
    loaded[name] = [done];
    var s = document.createElement("script");
    s.src = base + name;
    s.onload = s.onerror = function () {
      var waiting = loaded[name];
      loaded[name] = true;
      waiting.forEach(function (f) { f(); });
    };
    document.body.appendChild(s);
  }
  function loadAll(names, done) {
    var left = names.length;
    if (!left) return done();
    names.forEach(function (n) { load(n, function () { if (--left === 0) done(); }); });
  }

  function search(q, meta, done) {
    // As the index: words of one character are not indexed.
    var qs = plansiteTerms(q, meta.cjk).filter(function (t) { return Array.from(t).length > 1 || plansiteIsCjk(t, meta.cjk); });
    if (!qs.length) return done([], 0);
    var shards = {};
    qs.forEach(function (t) { shards["t" + plansiteShard(t, meta.cjk, meta.terms) + ".js"] = true; });
    loadAll(Object.keys(shards), function () {
      var scores = null;
      var optional = [];
      qs.forEach(function (t) {
        var index = (window.PLANSITE_TERMS || [])[plansiteShard(t, meta.cjk, meta.terms)] || {};
        var cjkTerm = plansiteIsCjk(t, meta.cjk);
        var found = {};
        Object.keys(index).forEach(function (key) {
          var match = key === t || (!cjkTerm && t.length >= 2 && key.indexOf(t) === 0);
          if (!match) return;
          var hits = index[key];
          var doc = 0;
          var seen = {};
          for (var i = 0; i + 1 < hits.length; i += 2) {
            doc += hits[i];
            if (seen[doc]) continue;
            seen[doc] = true;
            found[doc] = Math.max(found[doc] || 0, hits[i + 1] + (key === t ? 1 : 0));
          }
        });
        // Every query term must match: keep the documents found for each. A
        // common term (cut to its heaviest documents) ranks but is not required.
        if (meta.common.indexOf(t) >= 0) { optional.push(found); return; }
        if (scores === null) scores = found;
        else Object.keys(scores).forEach(function (d) { if (found[d] === undefined) delete scores[d]; else scores[d] += found[d]; });
      });
      if (scores === null) scores = optional.shift() || {};
      optional.forEach(function (found) {
        Object.keys(found).forEach(function (d) { if (scores[d] !== undefined) scores[d] += found[d]; });
      });
      var docs = Object.keys(scores || {}).map(Number).sort(function (a, b) { return scores[b] - scores[a] || a - b; });
      var top = docs.slice(0, SHOWN);
      // The document shard of each result: the last shard starting at or before it.
      var need = {};
      var shardOf = function (d) {
        var lo = 0, hi = meta.docs.length - 1;
        while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (meta.docs[mid] <= d) lo = mid; else hi = mid - 1; }
        return lo;
      };
      top.forEach(function (d) { need["d" + shardOf(d) + ".js"] = true; });
      loadAll(Object.keys(need), function () {
        done(top.map(function (d) {
          var shard = shardOf(d);
          return ((window.PLANSITE_DOCS || [])[shard] || [])[d - meta.docs[shard]];
        }).filter(Boolean), docs.length);
      });
    });
  }

  function show(results, total, q) {
    box.textContent = "";
    if (!q) return;
    var h = document.createElement("h2");
    h.textContent = box.dataset.heading + " (" + total + ")";
    box.appendChild(h);
    if (!results.length) {
      var p = document.createElement("p");
      p.textContent = box.dataset.none;
      box.appendChild(p);
      return;
    }
    var ol = document.createElement("ol");
    results.forEach(function (d) { // [title, url, kind, snippet]
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

  // Searches as the reader types (a moment after the last key), keeping the
  // query in the address so that a result page can be linked and reloaded.
  var current = 0;
  function run(q) {
    var mine = ++current;
    load("index.js", function () {
      var meta = window.PLANSITE_SEARCH;
      if (!meta) return;
      search(q, meta, function (results, total) { if (mine === current) show(results, total, q); });
    });
  }
  var q = (new URLSearchParams(window.location.search).get("q") || "").trim();
  if (input) {
    input.value = q;
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var value = input.value.trim();
        if (window.history && history.replaceState) {
          var url = new URL(window.location.href);
          if (value) url.searchParams.set("q", value); else url.searchParams.delete("q");
          try { history.replaceState(null, "", url.href); } catch (e) { /* file: URLs may refuse */ }
        }
        run(value);
      }, 150);
    });
  }
  if (q) run(q);
})();

// Indicator pages: a breakdown selector that shows one series' chart and
// table. Without JavaScript the selector stays hidden and every table shows.
(function () {
  "use strict";
  if (typeof document === "undefined") return;
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
  if (typeof document === "undefined") return;
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
