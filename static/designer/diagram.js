// Diagrams: pan, zoom and fit on every drawn diagram (the page, the team home's card, the live
// page), a side panel when a node is picked, and the options form's small conveniences.
// Progressive: without this file the drawing fits the card's width and every node is a link.
(function () {
  "use strict";
  var PT = 96 / 72;          // graphviz draws in points; 1 pt is 4/3 CSS px at "actual size"
  var MAX_ZOOM_IN = 12;      // relative to "fit": past this a node fills the card
  var MAX_ZOOM_OUT = 2;      // relative to "fit": a little room to see the edges of the drawing
  var DRAG_PX = 4;           // a press that moves less than this is a click, not a pan
  var STEP = 1.25;           // one press of + or -
  var READABLE = 0.7;        // a big drawing opens at 70 % (10 pt labels stay legible), not fitted
  var saved = {};            // canvas id -> {view, fitted}: a redraw of the same view keeps the zoom

  function Viewer(canvas) {
    var svg = canvas.querySelector("svg");
    var vb = svg && svg.viewBox && svg.viewBox.baseVal;
    if (!vb || !vb.width || !vb.height) return;
    var full = {x: vb.x, y: vb.y, w: vb.width, h: vb.height};
    var view = {x: full.x, y: full.y, w: full.w, h: full.h};
    var fitted = true;
    var thumb = canvas.classList.contains("thumb");

    svg.removeAttribute("width");
    svg.removeAttribute("height");
    svg.setAttribute("preserveAspectRatio", "xMidYMid meet");
    canvas.classList.add("viewer");
    canvas.tabIndex = 0;

    // A wrapper holds the toolbar, the canvas and the panel (positioned over the canvas).
    var wrap = document.createElement("div");
    wrap.className = "diagram-wrap";
    canvas.parentNode.insertBefore(wrap, canvas);
    var tools = document.createElement("div");
    tools.className = "diagram-tools";
    tools.setAttribute("role", "toolbar");
    tools.setAttribute("aria-label", "Diagram zoom");
    tools.setAttribute("aria-controls", canvas.id);
    function button(text, label, action) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "small";
      b.textContent = text;
      b.setAttribute("aria-label", label);
      b.title = label;
      b.dataset.zoom = action;
      tools.appendChild(b);
      return b;
    }
    button("−", "Zoom out", "out");
    button("+", "Zoom in", "in");
    button("Fit", "Fit to card", "fit");
    button("1:1", "1:1 actual size", "actual");
    var level = document.createElement("span");
    level.className = "zoom-level";
    level.setAttribute("aria-live", "polite");
    tools.appendChild(level);
    wrap.appendChild(tools);
    wrap.appendChild(canvas);
    var panel = document.createElement("aside");
    panel.className = "diagram-panel";
    panel.hidden = true;
    panel.setAttribute("aria-label", "Selected element");
    panel.tabIndex = -1;
    wrap.appendChild(panel);

    function size() {
      var w = canvas.clientWidth || wrap.clientWidth || 300;
      var natural = w * full.h / full.w;  // the height at which the fitted drawing fills the width
      // A flow's page draws its flow top to bottom beside the steps: it may be as tall as the list.
      var cap = canvas.closest(".flow-diagram") ? Math.max(360, window.innerHeight * 0.75) : 360;
      var h = thumb ? Math.min(cap, Math.max(160, natural))
        : Math.max(360, Math.min(window.innerHeight * 0.7, Math.max(natural, full.h * PT * READABLE)));
      canvas.style.height = Math.round(h) + "px";
    }
    function aspect() { return (canvas.clientWidth || 1) / (canvas.clientHeight || 1); }
    function fitView() {
      var ar = aspect(), w = full.w, h = full.h;
      if (w / h > ar) h = w / ar; else w = h * ar;
      return {x: full.x - (w - full.w) / 2, y: full.y - (h - full.h) / 2, w: w, h: h};
    }
    function apply() {
      svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].map(function (n) { return n.toFixed(2); }).join(" "));
      var scale = (canvas.clientWidth || 1) / view.w / PT;
      level.textContent = Math.round(scale * 100) + "%";
      if (canvas.id) saved[canvas.id] = {view: view, fitted: fitted, full: full.w + "x" + full.h,
                                         picked: saved[canvas.id] ? saved[canvas.id].picked : ""};
    }
    function fit() { view = fitView(); fitted = true; apply(); }
    // Zoom by ``factor`` keeping the point at (px, py), fractions of the canvas, still.
    function zoom(factor, px, py) {
      var fw = fitView().w;
      var w = Math.min(fw * MAX_ZOOM_OUT, Math.max(fw / MAX_ZOOM_IN, view.w / factor));
      px = px === undefined ? 0.5 : px;
      py = py === undefined ? 0.5 : py;
      var ax = view.x + px * view.w, ay = view.y + py * view.h;
      view = {w: w, h: w / aspect(), x: 0, y: 0};
      view.x = ax - px * view.w;
      view.y = ay - py * view.h;
      fitted = false;
      apply();
    }
    function actual() {
      var cx = view.x + view.w / 2, cy = view.y + view.h / 2;
      var w = canvas.clientWidth / PT, h = canvas.clientHeight / PT;
      view = {x: cx - w / 2, y: cy - h / 2, w: w, h: h};
      fitted = false;
      apply();
    }
    function pan(dx, dy) {  // in CSS pixels
      var k = view.w / (canvas.clientWidth || 1);
      view.x -= dx * k;
      view.y -= dy * k;
      fitted = false;
      apply();
    }

    size();
    var before = canvas.id && saved[canvas.id];
    if (before && !before.fitted && before.full === full.w + "x" + full.h) {
      view = before.view; fitted = false; view.h = view.w / aspect(); apply();
    } else {
      fit();
      // On the diagram page a drawing too big to read when fitted opens at a readable size
      // from its start (the left of a left-to-right flow, the top of a top-to-bottom one);
      // thumbnails always show the whole drawing. "Fit" is one click or the 0 key away.
      if (!thumb && canvas.clientWidth / view.w / PT < READABLE) {
        var w = canvas.clientWidth / PT / READABLE, h = w / aspect();
        view = {x: full.x, y: full.y + (full.h - h) / 2, w: w, h: h};
        if (h < full.h && full.h > full.w) view.y = full.y;
        if (w > full.w) view.x = full.x - (w - full.w) / 2;
        fitted = false;
        apply();
      }
    }

    tools.addEventListener("click", function (e) {
      var b = e.target.closest("[data-zoom]");
      if (!b) return;
      var a = b.dataset.zoom;
      if (a === "in") zoom(STEP); else if (a === "out") zoom(1 / STEP); else if (a === "fit") fit(); else actual();
    });
    window.addEventListener("resize", function () {
      if (!canvas.isConnected) return;
      size();
      if (fitted) fit(); else { view.h = view.w / aspect(); apply(); }
    });

    // Ctrl/⌘ + wheel (and a trackpad's pinch, which browsers send as ctrl + wheel) zooms at the
    // pointer; a plain wheel keeps scrolling the page, as in an embedded map.
    canvas.addEventListener("wheel", function (e) {
      if (!(e.ctrlKey || e.metaKey)) return;
      e.preventDefault();
      var r = canvas.getBoundingClientRect();
      zoom(Math.exp(-e.deltaY * 0.002), (e.clientX - r.left) / r.width, (e.clientY - r.top) / r.height);
    }, {passive: false});

    // Drag to pan (mouse, pen or one finger); two fingers pinch to zoom.
    var pointers = new Map(), dragged = false, start = null, pinch = 0;
    canvas.addEventListener("pointerdown", function (e) {
      if (e.button !== 0 && e.pointerType === "mouse") return;
      pointers.set(e.pointerId, {x: e.clientX, y: e.clientY});
      start = {x: e.clientX, y: e.clientY};
      dragged = false;
      if (pointers.size === 2) pinch = distance();
    });
    function distance() {
      var p = Array.from(pointers.values());
      return Math.hypot(p[0].x - p[1].x, p[0].y - p[1].y) || 1;
    }
    canvas.addEventListener("pointermove", function (e) {
      var prev = pointers.get(e.pointerId);
      if (!prev) return;
      var now = {x: e.clientX, y: e.clientY};
      if (!dragged && Math.hypot(now.x - start.x, now.y - start.y) < DRAG_PX) return;
      if (!dragged) {
        dragged = true;
        canvas.classList.add("panning");
        try { canvas.setPointerCapture(e.pointerId); } catch (err) { /* pointer already gone */ }
      }
      pointers.set(e.pointerId, now);
      if (pointers.size === 2) {
        var d = distance(), r = canvas.getBoundingClientRect();
        var p = Array.from(pointers.values());
        var mx = (p[0].x + p[1].x) / 2, my = (p[0].y + p[1].y) / 2;
        zoom(d / pinch, (mx - r.left) / r.width, (my - r.top) / r.height);
        pinch = d;
      } else {
        pan(now.x - prev.x, now.y - prev.y);
      }
    });
    function release(e) {
      pointers.delete(e.pointerId);
      if (!pointers.size) canvas.classList.remove("panning");
    }
    canvas.addEventListener("pointerup", release);
    canvas.addEventListener("pointercancel", release);

    // Picking a node opens its panel; the finding badge and modified clicks keep their links.
    canvas.addEventListener("click", function (e) {
      if (dragged) { e.preventDefault(); e.stopPropagation(); dragged = false; return; }
      var a = e.target.closest("a");
      var g = e.target.closest("g.node");
      if (!a || !g || !canvas.dataset.nodeUrl) return;
      if (a.closest('g[id^="a_badge-"]') || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      openPanel(g, a);
    }, true);

    canvas.addEventListener("keydown", function (e) {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      var k = e.key, handled = true;
      if (k === "+" || k === "=") zoom(STEP);
      else if (k === "-" || k === "_") zoom(1 / STEP);
      else if (k === "0") fit();
      else if (e.target === canvas && k === "ArrowLeft") pan(40, 0);
      else if (e.target === canvas && k === "ArrowRight") pan(-40, 0);
      else if (e.target === canvas && k === "ArrowUp") pan(0, 40);
      else if (e.target === canvas && k === "ArrowDown") pan(0, -40);
      else handled = false;
      if (handled) e.preventDefault();
    });
    wrap.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && !panel.hidden) { e.preventDefault(); closePanel(); }
    });

    var opener = null;
    function openPanel(g, a, keepFocus) {
      opener = a;
      if (canvas.id && saved[canvas.id]) saved[canvas.id].picked = g.id;
      canvas.querySelectorAll("g.node.picked").forEach(function (n) { n.classList.remove("picked"); });
      g.classList.add("picked");
      panel.hidden = false;
      panel.setAttribute("aria-busy", "true");
      panel.textContent = "Loading…";
      fetch(canvas.dataset.nodeUrl + "?id=" + encodeURIComponent(g.id), {headers: {"HX-Request": "true"}, credentials: "same-origin"})
        .then(function (r) {
          if (!r.ok) throw new Error(r.status === 404 ? "This element is no longer in the model." : "Could not load the element (" + r.status + ").");
          return r.text();
        })
        .then(function (html) {
          panel.innerHTML = html;  // our own template, escaped server-side
          if (window.htmx) window.htmx.process(panel);
        })
        .catch(function (err) { panel.textContent = err.message; })
        .finally(function () {
          panel.removeAttribute("aria-busy");
          var title = panel.querySelector("h3");
          if (title) panel.setAttribute("aria-labelledby", title.id || "");
          // Reopened after a redraw: take the focus only if the redraw took it away.
          if (!keepFocus || document.activeElement === document.body || !document.activeElement) panel.focus();
        });
    }
    function closePanel() {
      panel.hidden = true;
      if (canvas.id && saved[canvas.id]) saved[canvas.id].picked = "";
      canvas.querySelectorAll("g.node.picked").forEach(function (n) { n.classList.remove("picked"); });
      if (opener && opener.isConnected) opener.focus(); else canvas.focus();
    }
    panel.addEventListener("click", function (e) {
      if (e.target.closest("[data-panel-close]")) { e.preventDefault(); closePanel(); }
    });
    // A redraw (a model change, the panel's own "add sends / receives") keeps the picked node's panel open.
    var again = before && before.picked && svg.getElementById ? svg.getElementById(before.picked) : null;
    if (again && again.querySelector("a")) openPanel(again, again.querySelector("a"), true);
  }

  function enhance(root) {
    (root || document).querySelectorAll(".diagram-canvas").forEach(function (c) {
      if (c.dataset.viewer) return;
      c.dataset.viewer = "1";
      Viewer(c);
    });
  }

  // The options form: picking a flow or an element switches the view to it.
  function options() {
    var form = document.getElementById("diagram-options");
    if (!form) return;
    var scope = document.getElementById("diagram-scope");
    var flow = document.getElementById("diagram-flow");
    var focus = document.getElementById("diagram-focus");
    var list = document.getElementById("diagram-elements");
    // Capture phase: runs before htmx's change trigger on the form reads the fields.
    form.addEventListener("change", function (e) {
      if (e.target === flow && flow.value) scope.value = "flow";
      if (e.target === focus && focus.value.trim()) scope.value = "focus";
    }, true);
    focus.addEventListener("input", function () {
      var v = focus.value;
      var picked = list && Array.prototype.some.call(list.options, function (o) { return o.value === v; });
      if (picked) {  // chosen from the list: draw it now rather than on blur
        scope.value = "focus";
        scope.dispatchEvent(new Event("change", {bubbles: true}));
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhance(document);
    options();
    document.body.addEventListener("htmx:afterSettle", function () { enhance(document); });
  });
})();
