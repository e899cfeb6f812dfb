// Event flow designer: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  // Code editor: a line-number gutter beside JSON textareas, Tab indents, Format pretty-prints.
  function enhanceEditors(root) {
    root.querySelectorAll("[data-editor]").forEach(function (box) {
      if (box.dataset.ready) return;
      box.dataset.ready = "1";
      var ta = box.querySelector("textarea");
      if (!ta) return;
      var gutter = document.createElement("div");
      gutter.className = "gutter";
      gutter.setAttribute("aria-hidden", "true");
      box.insertBefore(gutter, ta);
      function renumber() {
        var n = ta.value.split("\n").length, out = [];
        for (var i = 1; i <= n; i++) out.push(i);
        gutter.textContent = out.join("\n");
        gutter.style.height = ta.clientHeight + "px";
        gutter.scrollTop = ta.scrollTop;
      }
      ta.addEventListener("input", renumber);
      ta.addEventListener("scroll", function () { gutter.scrollTop = ta.scrollTop; });
      ta.addEventListener("keydown", function (e) {
        if (e.key === "Tab" && !e.shiftKey && !e.ctrlKey && !e.altKey && !e.metaKey) {
          // Escape leaves the editor by keyboard: Tab then moves focus as usual.
          if (ta.dataset.escaped) { delete ta.dataset.escaped; return; }
          e.preventDefault();
          var s = ta.selectionStart;
          ta.setRangeText("  ", s, ta.selectionEnd, "end");
          renumber();
        } else if (e.key === "Escape") {
          ta.dataset.escaped = "1";
        }
      });
      renumber();
    });
    root.querySelectorAll("[data-format]").forEach(function (btn) {
      if (btn.dataset.ready) return;
      btn.dataset.ready = "1";
      btn.addEventListener("click", function () {
        var ta = document.getElementById(btn.dataset.format);
        if (!ta) return;
        try {
          ta.value = JSON.stringify(JSON.parse(ta.value), null, 2);
          ta.dispatchEvent(new Event("input"));
        } catch (err) {
          alert("Not valid JSON: " + err.message);
        }
      });
    });
  }

  document.addEventListener("click", function (e) {
    var t = e.target.closest("[data-dismiss]");
    if (t) {
      var el = document.querySelector(t.dataset.dismiss);
      if (el) { e.preventDefault(); el.remove(); }
    }
    var fix = e.target.closest("[data-fix-name]");
    if (fix) {
      var form = fix.closest("form");
      var input = form && form.querySelector("input[name=name]");
      if (input) { input.value = fix.dataset.fixName; input.dispatchEvent(new Event("input", {bubbles: true})); input.focus(); }
    }
    // Shown-once secrets (tokens, invitation links): one click selects the whole value.
    var secret = e.target.closest("[data-select-all]");
    if (secret) secret.select();
    // Diagram: toggle between fit-to-width and actual size.
    var toggle = e.target.closest("[data-toggle-actual]");
    if (toggle) {
      var canvas = document.getElementById(toggle.dataset.toggleActual);
      if (canvas) {
        var actual = canvas.classList.toggle("actual");
        toggle.setAttribute("aria-pressed", actual ? "true" : "false");
        toggle.textContent = actual ? "Fit to width" : "Actual size";
      }
    }
  });

  // Handlers live here, not in onclick/onchange attributes: the Content-Security-Policy
  // forbids inline script, so markup only carries data-* hooks.
  document.addEventListener("change", function (e) {
    var auto = e.target.closest("select[data-autosubmit]");
    if (auto && auto.form) { auto.form.submit(); return; }
    var switcher = e.target.closest("form[data-team-switcher]");
    if (switcher && switcher.team && switcher.team.value) location.href = switcher.team.value;
  });

  // Live model: when anyone changes the team's model, parts of the page marked with
  // hx-trigger="model-changed from:body" refresh themselves. Reconnects with back-off.
  function liveModel() {
    var holder = document.getElementById("live-model");
    if (!holder || !window.WebSocket) return;
    var delay = 1000;
    function connect() {
      var proto = location.protocol === "https:" ? "wss://" : "ws://";
      var ws = new WebSocket(proto + location.host + holder.dataset.ws);
      ws.onopen = function () { delay = 1000; };
      ws.onmessage = function (msg) {
        var data;
        try { data = JSON.parse(msg.data); } catch (err) { return; }
        if (data.type === "model.changed") {
          document.body.dispatchEvent(new CustomEvent("model-changed", {detail: data}));
        }
      };
      ws.onclose = function () { setTimeout(connect, delay); delay = Math.min(delay * 2, 30000); };
    }
    connect();
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhanceEditors(document);
    liveModel();
    document.body.addEventListener("htmx:afterSwap", function (e) { enhanceEditors(e.target); });
    document.body.addEventListener("htmx:afterSettle", function (e) { enhanceEditors(document); });
  });
})();
