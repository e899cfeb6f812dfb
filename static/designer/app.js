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
      // Tab indents here, so say how to leave by keyboard (read out with the field too).
      var hint = document.createElement("small");
      hint.className = "help editor-hint";
      hint.id = (ta.id || "editor") + "-keys";
      hint.textContent = "Tab indents. To leave the editor by keyboard, press Esc, then Tab.";
      box.insertAdjacentElement("afterend", hint);
      ta.setAttribute("aria-describedby", ((ta.getAttribute("aria-describedby") || "") + " " + hint.id).trim());
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
    // Copy buttons: data-copy names the element whose value or text goes to the clipboard.
    var copy = e.target.closest("[data-copy]");
    if (copy) {
      var src = document.getElementById(copy.dataset.copy);
      var text = src ? (src.value !== undefined && src.tagName === "INPUT" ? src.value : src.textContent) : "";
      var status = copy.parentNode.querySelector(".copy-status");
      var said = function (msg) { copy.textContent = msg; if (status) status.textContent = msg; };
      var label = copy.textContent;
      var done = function () { said("Copied"); setTimeout(function () { copy.textContent = label; }, 2000); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, function () { said("Select and copy it by hand"); });
      } else if (src) {  // plain http on another host: the old way
        var range = document.createRange();
        if (src.select) src.select(); else { range.selectNodeContents(src); getSelection().removeAllRanges(); getSelection().addRange(range); }
        try { document.execCommand("copy"); done(); } catch (err) { said("Select and copy it by hand"); }
      }
    }
    // Shown-once secrets (tokens, invitation links): one click selects the whole value.
    var secret = e.target.closest("[data-select-all]");
    if (secret) secret.select();
    // (Diagrams: fit, actual size, pan and zoom are static/designer/diagram.js's toolbar.)
  });

  // Handlers live here, not in onclick/onchange attributes: the Content-Security-Policy
  // forbids inline script, so markup only carries data-* hooks.
  document.addEventListener("change", function (e) {
    // A message's kind changes what its name should look like: check the name again.
    if (e.target.name === "kind" && e.target.form && window.htmx) {
      var nameInput = e.target.form.querySelector("input[name=name][hx-post]");
      if (nameInput && nameInput.value.trim()) window.htmx.trigger(nameInput, "kind-changed");
    }
    var auto = e.target.closest("select[data-autosubmit]");
    if (auto && auto.form) { auto.form.submit(); return; }
    var switcher = e.target.closest("form[data-team-switcher]");
    if (switcher && switcher.team && switcher.team.value) location.href = switcher.team.value;
  });

  // A flow's steps move with the keyboard: Alt+Up / Alt+Down on a step presses its ↑ / ↓ button
  // (the answer swaps the list in place and focuses the moved step's button again).
  document.addEventListener("keydown", function (e) {
    if (!e.altKey || (e.key !== "ArrowUp" && e.key !== "ArrowDown")) return;
    var step = e.target.closest && e.target.closest("li[data-step]");
    var btn = step && step.querySelector('button[value="' + (e.key === "ArrowUp" ? "up" : "down") + '"]');
    if (btn) { e.preventDefault(); btn.click(); }
  });

  // "Fix in the editor" from a finding: ?path=schema.properties.x#version-editor opens the
  // schema editor with the caret on that JSON path, and ?next= is where saving returns to.
  function openAtPath() {
    var params = new URLSearchParams(location.search);
    var editor = document.getElementById("version-editor");
    var path = params.get("path");
    if (!editor || !path) return;
    var details = editor.querySelector("details");
    if (details) details.open = true;
    var form = editor.querySelector("form");
    var nxt = params.get("next");
    if (form && nxt && nxt.charAt(0) === "/" && nxt.charAt(1) !== "/" && !form.querySelector("input[name=next]")) {
      var hidden = document.createElement("input");
      hidden.type = "hidden"; hidden.name = "next"; hidden.value = nxt;
      form.appendChild(hidden);
    }
    var parts = path.replace(/\[(\d+)\]/g, ".$1").split(".");
    var head = parts.shift();
    var plain = editor.querySelector("[name=" + head + "]:not(textarea)");
    if (plain && (head === "compat" || head === "version")) { plain.focus(); plain.scrollIntoView({block: "center"}); return; }
    var field = head === "example" ? "example" : "schema";
    var ta = editor.querySelector("textarea[name=" + field + "]");
    if (!ta) return;
    // Each key of the path in turn, as it is written in the JSON text ("properties", then "email"...).
    var text = ta.value, at = 0, found = -1;
    parts.forEach(function (key) {
      if (/^\d+$/.test(key)) return;
      var i = text.indexOf(JSON.stringify(key) + ":", at);
      if (i >= 0) { found = i; at = i + 1; }
    });
    ta.focus();
    if (found < 0) return;
    var end = text.indexOf("\n", found);
    ta.setSelectionRange(found, end < 0 ? text.length : end);
    var line = text.slice(0, found).split("\n").length - 1;
    var lh = parseFloat(getComputedStyle(ta).lineHeight) || 18;
    ta.scrollTop = Math.max(0, (line - 3) * lh);
    ta.scrollIntoView({block: "center"});
  }

  // Values a name suggests (a message's wire type): filled in while the field is empty or still
  // holds the previous suggestion; a value the user typed is never replaced.
  function suggestFields(root) {
    if (!root.querySelectorAll) return;
    root.querySelectorAll("[data-suggest-field]").forEach(function (p) {
      var form = p.closest("form");
      var input = form && form.querySelector("[name=" + p.dataset.suggestField + "]");
      if (!input) return;
      if (!input.value || input.value === input.dataset.suggested) {
        input.value = p.dataset.suggestValue;
        input.dataset.suggested = p.dataset.suggestValue;
      }
      input.placeholder = p.dataset.suggestValue;
    });
  }

  // Live model: when anyone changes the team's model, parts of the page marked with
  // hx-trigger="model-changed from:body" refresh themselves. When the socket drops (the server
  // restarts, or Redis is unreachable and the server closes it), a status line says so and the
  // page reconnects with back-off (1 s doubling to 10 s, with jitter so pages do not reconnect
  // in step); once back, the parts refresh, catching up on changes made meanwhile.
  function liveModel() {
    var holder = document.getElementById("live-model");
    var status = document.getElementById("live-model-status");
    if (!holder || !window.WebSocket) return;
    var delay = 1000, paused = false, leaving = false;
    window.addEventListener("pagehide", function () { leaving = true; });
    function say(text) { if (status) status.textContent = text; }
    function connect() {
      var proto = location.protocol === "https:" ? "wss://" : "ws://";
      var ws = new WebSocket(proto + location.host + holder.dataset.ws);
      ws.onopen = function () {
        delay = 1000;
        if (paused) {
          paused = false;
          say("");
          document.body.dispatchEvent(new CustomEvent("model-changed", {detail: {type: "model.changed", resumed: true}}));
        }
      };
      ws.onmessage = function (msg) {
        var data;
        try { data = JSON.parse(msg.data); } catch (err) { return; }
        if (data.type === "model.changed") {
          document.body.dispatchEvent(new CustomEvent("model-changed", {detail: data}));
        }
      };
      ws.onclose = function () {
        if (leaving) return;
        if (!paused) { paused = true; say("Live updates paused — reconnecting…"); }
        setTimeout(connect, delay + Math.random() * 500);
        delay = Math.min(delay * 2, 10000);
      };
    }
    connect();
  }

  // An htmx request that met an outage (503: Redis or the database unreachable) is not swapped
  // in; say why in an alert at the top of the page instead of doing nothing.
  function explainOutages() {
    document.body.addEventListener("htmx:responseError", function (e) {
      var xhr = e.detail && e.detail.xhr;
      if (!xhr || xhr.status !== 503) return;
      var text = "";
      try { text = JSON.parse(xhr.responseText).error || ""; } catch (err) {
        var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
        var p = doc.querySelector("section p");
        text = p ? p.textContent : "";
      }
      var main = document.getElementById("main");
      if (!main) return;
      var box = document.getElementById("outage-alert");
      if (!box) {
        box = document.createElement("p");
        box.id = "outage-alert";
        box.setAttribute("role", "alert");
        main.insertBefore(box, main.firstChild);
      }
      box.textContent = text || "A service the designer needs is unreachable right now; try again in a few seconds.";
    });
  }

  // Small screens: the team menu folds behind a "Menu" button (the header's nav took three lines).
  function menu() {
    var header = document.querySelector("header.top");
    var toggle = header && header.querySelector(".menu-toggle");
    var items = document.getElementById("site-menu");
    if (!toggle || !items) return;
    header.classList.add("has-menu");
    toggle.hidden = false;
    function set(open) {
      header.classList.toggle("menu-open", open);
      toggle.setAttribute("aria-expanded", String(open));
    }
    toggle.addEventListener("click", function () { set(!header.classList.contains("menu-open")); });
    header.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && header.classList.contains("menu-open")) { set(false); toggle.focus(); }
    });
  }

  // Tables reflow on a phone (app.css stacks the cells); each cell is labelled with its column.
  function labelCells(root) {
    root.querySelectorAll("table.list").forEach(function (table) {
      var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); });
      if (!heads.length) return;
      table.querySelectorAll("tbody tr").forEach(function (tr) {
        var i = 0;
        Array.prototype.forEach.call(tr.children, function (cell) {
          if (heads[i] && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", heads[i]);
          i += cell.colSpan || 1;
        });
      });
    });
  }

  // A second skip link straight to the page's main action ("New message", "Save"...): the
  // first Tab on a list page reaches it instead of walking the whole menu.
  function skipToAction() {
    var main = document.getElementById("main");
    if (!main || document.getElementById("skip-action")) return;
    var action = main.querySelector("[data-main-action]") || main.querySelector(".page-head .primary, .page-head .button.primary")
      || main.querySelector("form .primary");
    if (!action || action.closest("[hidden]")) return;
    if (!action.id) action.id = "main-action";
    var link = document.createElement("a");
    link.className = "skip";
    link.id = "skip-action";
    link.href = "#" + action.id;
    // The visible text stays generic (it would otherwise be a second "New message" on the
    // page); the name read out says which action it is.
    link.textContent = "Skip to the main action";
    link.setAttribute("aria-label", "Skip to the main action: " + action.textContent.trim().replace(/\s+/g, " ").slice(0, 60));
    link.addEventListener("click", function (e) { e.preventDefault(); action.focus(); });
    var first = document.querySelector("a.skip");
    first.parentNode.insertBefore(link, first);
  }

  // A box that scrolls (generated code, a long payload) must scroll by keyboard too: when it
  // holds nothing focusable, it becomes a focusable, labelled region.
  function scrollableByKeyboard(root) {
    root.querySelectorAll("pre, .hl, [data-scrollable]").forEach(function (box) {
      if (box.hasAttribute("tabindex") || box.closest("[tabindex]:not([tabindex=\"-1\"]), .hl pre, .code-editor")) return;
      if (box.scrollWidth <= box.clientWidth + 1 && box.scrollHeight <= box.clientHeight + 1) return;
      if (box.querySelector("a[href], button, input, select, textarea, [tabindex]")) return;
      box.tabIndex = 0;
      if (!box.getAttribute("role")) box.setAttribute("role", "region");
      if (!box.getAttribute("aria-label")) {
        var h = box.closest("section, .card");
        var title = h && h.querySelector("h2, h3");
        box.setAttribute("aria-label", (title ? title.textContent.trim() + ": " : "") + "scrollable text");
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    scrollableByKeyboard(document);
    menu();
    skipToAction();
    labelCells(document);
    enhanceEditors(document);
    liveModel();
    explainOutages();
    // After "load": the browser's own jump to the #fragment would otherwise take the focus back.
    window.addEventListener("load", function () { setTimeout(openAtPath, 0); });
    document.body.addEventListener("htmx:afterSwap", function (e) { enhanceEditors(e.target); suggestFields(e.target); });
    document.body.addEventListener("htmx:afterSettle", function (e) {
      // A swapped block names the control to keep working from (the moved step's button).
      var next = document.querySelector("[data-focus]");
      if (next) { next.removeAttribute("data-focus"); next.focus(); }
      enhanceEditors(document); labelCells(document); scrollableByKeyboard(document);
    });
  });
})();
