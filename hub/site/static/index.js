/* The index: search, filters, sorting and the view's state in the URL's fragment (#q=...&task=cv).
   Rows come from index-data.js (window.MSHUB_INDEX); every value goes into the page as text. */
(function () {
  "use strict";
  var data = window.MSHUB_INDEX || { cards: [] };
  var cards = data.cards;
  var PAGE = 30; // rows drawn until "Show all" is pressed (layout, not filtering, is what costs)
  var FILTERS = { task: "t", dataset: "d", version: "v", publisher: "p", route: "R", verdict: "V", checksum: "C", loading: "L" };
  var LABELS = { C: { never: "never audited" } };
  var form = document.getElementById("filters");
  var search = document.getElementById("q");
  var tbody = document.querySelector("#cards tbody");
  var count = document.getElementById("count");
  var more = document.getElementById("more");
  var headers = document.querySelectorAll("#cards th[data-sort]");
  var selects = {};
  var state = { q: "", sort: "u", dir: 1, all: false, f: {} };
  var hashTimer = 0;

  cards.forEach(function (c) {
    c.k = [c.n, c.u, c.b, c.d, c.s].join(" ").toLowerCase();
  });

  function versionKey(v) {
    return v.split(".").map(function (x) { return ("00000" + x).slice(-5); }).join(".");
  }

  Object.keys(FILTERS).forEach(function (name) {
    var key = FILTERS[name];
    var select = form.querySelector('select[data-filter="' + name + '"]');
    var counts = {};
    cards.forEach(function (c) { counts[c[key]] = (counts[c[key]] || 0) + 1; });
    var values = Object.keys(counts).sort(key === "v" ? function (a, b) {
      return versionKey(a) < versionKey(b) ? -1 : versionKey(a) > versionKey(b) ? 1 : 0;
    } : undefined);
    values.forEach(function (value) {
      var option = document.createElement("option");
      option.value = value === "" ? "-" : value;
      option.textContent = (value === "" ? "(none)" : (LABELS[key] && LABELS[key][value]) || value) + " (" + counts[value] + ")";
      select.appendChild(option);
    });
    selects[name] = select;
  });

  function readHash() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    state.q = params.get("q") || "";
    state.f = {};
    Object.keys(FILTERS).forEach(function (name) {
      var value = params.get(name);
      if (value !== null) state.f[name] = value;
    });
    var sort = params.get("sort") || "u";
    state.dir = sort.charAt(0) === "-" ? -1 : 1;
    state.sort = sort.replace(/^-/, "");
    state.all = params.get("all") === "1";
    search.value = state.q;
    Object.keys(selects).forEach(function (name) {
      var select = selects[name];
      var value = state.f[name] || "";
      if (!Array.prototype.some.call(select.options, function (o) { return o.value === value; })) value = "";
      select.value = value;
      if (!value) delete state.f[name];
    });
  }

  function writeHash() {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    Object.keys(FILTERS).forEach(function (name) {
      if (state.f[name]) params.set(name, state.f[name]);
    });
    if (state.sort !== "u" || state.dir !== 1) params.set("sort", (state.dir < 0 ? "-" : "") + state.sort);
    if (state.all) params.set("all", "1");
    var hash = params.toString();
    var url = location.href.replace(/#.*$/, "") + (hash ? "#" + hash : "");
    if (url === location.href) return;
    try {
      history.replaceState(null, "", url);
    } catch (e) {
      location.replace(url);
    }
  }

  function matching() {
    var words = state.q.toLowerCase().split(/\s+/).filter(Boolean);
    var active = Object.keys(state.f).map(function (name) {
      return [FILTERS[name], state.f[name] === "-" ? "" : state.f[name]];
    });
    return cards.filter(function (c) {
      for (var i = 0; i < active.length; i++) if (c[active[i][0]] !== active[i][1]) return false;
      for (var j = 0; j < words.length; j++) if (c.k.indexOf(words[j]) < 0) return false;
      return true;
    });
  }

  function compare(a, b) {
    var key = state.sort;
    var x = a[key] || "", y = b[key] || "";
    if (key === "v") { x = versionKey(x); y = versionKey(y); }
    if (x < y) return -state.dir;
    if (x > y) return state.dir;
    return a.u < b.u ? -1 : a.u > b.u ? 1 : 0;
  }

  function cell(tr, text, cls) {
    var td = document.createElement("td");
    td.textContent = text;
    if (cls) td.className = cls;
    tr.appendChild(td);
    return td;
  }

  function badge(tr, kind, value, text, extra) {
    var td = document.createElement("td");
    var span = document.createElement("span");
    span.className = "badge " + kind + "-" + value.replace(/ /g, "-");
    span.textContent = text;
    td.appendChild(span);
    if (extra) {
      var small = document.createElement("span");
      small.className = "date";
      small.textContent = " " + extra;
      td.appendChild(small);
    }
    tr.appendChild(td);
  }

  function row(c) {
    var tr = document.createElement("tr");
    var td = document.createElement("td");
    var link = document.createElement("a");
    link.href = c.h;
    link.textContent = c.n;
    td.appendChild(link);
    var uid = document.createElement("span");
    uid.className = "uid";
    uid.textContent = c.u;
    td.appendChild(uid);
    tr.appendChild(td);
    cell(tr, c.t); cell(tr, c.d); cell(tr, c.v); cell(tr, c.p); cell(tr, c.b); cell(tr, c.m); cell(tr, c.f);
    badge(tr, "verdict", c.V, c.V);
    badge(tr, "checksum", c.C, c.C === "never" ? "never audited" : c.C, c.D);
    var loading = c.L === "built" ? "built" : c.L === "not surveyed" ? "unknown" : "failed";
    badge(tr, "loading", loading, c.L === "built" ? "built (" + c.R + ")" : c.L);
    return tr;
  }

  function apply(typing) {
    var found = matching();
    found.sort(compare);
    var shown = state.all ? found : found.slice(0, PAGE);
    var fragment = document.createDocumentFragment();
    shown.forEach(function (c) { fragment.appendChild(row(c)); });
    tbody.replaceChildren(fragment);
    count.textContent = found.length + " of " + cards.length + " cards" +
      (shown.length < found.length ? " (first " + shown.length + " shown)" : "");
    more.hidden = shown.length >= found.length;
    more.textContent = "Show all " + found.length;
    headers.forEach(function (th) {
      th.setAttribute("aria-sort", th.dataset.sort === state.sort ? (state.dir > 0 ? "ascending" : "descending") : "none");
    });
    clearTimeout(hashTimer);
    if (typing) hashTimer = setTimeout(writeHash, 250); // once typing pauses: browsers throttle URL updates
    else writeHash();
  }

  search.addEventListener("input", function () { state.q = search.value; state.all = false; apply(true); });
  tbody.addEventListener("click", function () { clearTimeout(hashTimer); writeHash(); }); // before leaving
  Object.keys(selects).forEach(function (name) {
    selects[name].addEventListener("change", function () {
      if (selects[name].value) state.f[name] = selects[name].value; else delete state.f[name];
      state.all = false;
      apply();
    });
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.addEventListener("reset", function (e) {
    e.preventDefault();
    search.value = "";
    Object.keys(selects).forEach(function (name) { selects[name].value = ""; });
    state.q = ""; state.f = {}; state.all = false;
    apply();
  });
  headers.forEach(function (th) {
    th.querySelector("button").addEventListener("click", function () {
      var key = th.dataset.sort;
      state.dir = state.sort === key ? -state.dir : 1;
      state.sort = key;
      apply();
    });
  });
  more.addEventListener("click", function () { state.all = true; apply(); });
  window.addEventListener("hashchange", function () { readHash(); apply(); });

  readHash();
  apply();
}());
