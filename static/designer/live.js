// Live traffic page: one websocket, batched rendering (at most 10 paints a second), resume
// with the last id after a reconnect. No framework: the page must stay light under bursts.
(function () {
  "use strict";
  const root = document.getElementById("live");
  if (!root) return;
  const PAINT_MS = 100;        // at most 10 DOM updates a second, whatever the event rate
  const MAX_ROWS = 200;        // stream rows kept in the DOM
  const MAX_GROUPS = 50;       // live finding groups (kind, type, path) kept; the oldest go first
  const MAX_KEPT = 2000;       // events kept in memory for filtering and the inspector
  const schemas = JSON.parse(document.getElementById("live-schemas").textContent || "{}");
  const canEdit = root.dataset.canEdit === "1";
  const csrf = (() => { try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; } })();
  const $ = (id) => document.getElementById(id);
  const el = (tag, attrs, text) => {
    const n = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) n.setAttribute(k, v);
    if (text !== undefined) n.textContent = text;
    return n;
  };

  let rememberedUpTo = 0;        // ids up to this came from the server's memory, not live
  let lastId = 0, socket = null, retry = 500, paused = false, total = 0, dropped = 0;
  const kept = [];               // newest last
  let pendingEvents = [], pendingFindings = [], pendingStats = null, pendingStatus = {};
  const types = new Set();
  const byId = new Map();

  // ---- websocket ----
  function connect() {
    const proto = location.protocol === "https:" ? "wss://" : "ws://";
    const url = proto + location.host + root.dataset.ws + (lastId ? "?last_id=" + lastId : "");
    socket = new WebSocket(url);
    setConn("connecting…", "");
    socket.onopen = () => { retry = 500; setConn("live", "ok"); };
    socket.onclose = () => {
      // The server restarted, or closed the socket because Redis is unreachable (code 1013):
      // say so, and reconnect with back-off (0.5 s doubling to 10 s, with jitter), resuming
      // after the last id seen.
      setConn("live updates paused — reconnecting…", "sev-warning");
      setTimeout(connect, retry + Math.random() * 300);
      retry = Math.min(retry * 2, 10000);
    };
    socket.onmessage = (e) => {
      const msg = JSON.parse(e.data);
      if (msg.type === "hello") {
        if (msg.gap) setConn("live (some events were missed)", "sev-warning");
        return;
      }
      if (msg.type !== "batch") return;
      if (msg.snapshot) {
        rememberedUpTo = msg.last_id;
        // What the server kept of the team's recent traffic: a reload starts where it was.
        const n = msg.messages.filter((m) => m.type === "event").length;
        const note = $("stream-remembered");
        if (n) { note.hidden = false; note.textContent = `The last ${n} events before this page opened, kept by the server; new ones appear above them.`; }
      }
      if (msg.dropped > dropped) {
        dropped = msg.dropped;
        const d = $("live-dropped"); d.hidden = false; d.textContent = dropped + " dropped (slow connection)";
      }
      for (const m of msg.messages) {
        if (m.id <= lastId) continue;
        lastId = m.id;
        if (m.type === "event") pendingEvents.push(m);
        else if (m.type === "finding") pendingFindings.push(m);
        else if (m.type === "stats") pendingStats = m;
        else if (m.type === "status") pendingStatus[m.source] = m;
      }
    };
  }
  function setConn(text, cls) { const c = $("live-conn"); c.textContent = text; c.className = "badge " + cls; }

  // ---- painting, batched ----
  setInterval(paint, PAINT_MS);
  function paint() {
    if (pendingEvents.length) {
      const batch = pendingEvents; pendingEvents = [];
      total += batch.length;
      for (const ev of batch) {
        kept.push(ev); byId.set(String(ev.id), ev);
        if (!types.has(ev.event_type)) { types.add(ev.event_type); $("f-type").append(el("option", {}, ev.event_type)); }
      }
      while (kept.length > MAX_KEPT) byId.delete(String(kept.shift().id));
      if (!paused) renderStream();
      $("stream-count").textContent = total + " seen" + (paused ? " (paused)" : "");
    }
    if (pendingFindings.length) { renderFindings(pendingFindings); pendingFindings = []; }
    if (pendingStats) { renderStats(pendingStats); pendingStats = null; }
    if (Object.keys(pendingStatus).length) { renderStatus(pendingStatus); pendingStatus = {}; }
  }

  function matches(ev) {
    const t = $("f-type").value, s = $("f-source").value.trim().toLowerCase();
    const f = $("f-finding").value, q = $("f-search").value.trim().toLowerCase();
    if (t && ev.event_type !== t) return false;
    if (s && !String(ev.source).toLowerCase().includes(s)) return false;
    if (f === "*" && !ev.findings.length) return false;
    if (f === "-" && ev.findings.length) return false;
    if (f && f !== "*" && f !== "-" && !ev.findings.includes(f)) return false;
    if (q && !JSON.stringify(ev).toLowerCase().includes(q)) return false;
    return true;
  }
  function renderStream() {
    const body = $("stream");
    const rows = document.createDocumentFragment();
    let n = 0;
    for (let i = kept.length - 1; i >= 0 && n < MAX_ROWS; i--) {
      const ev = kept[i];
      if (!matches(ev)) continue;
      n++;
      const tr = el("tr", {"data-id": String(ev.id), "tabindex": "0",
        "class": (ev.findings.length ? "has-findings" : "") + (ev.id <= rememberedUpTo ? " remembered" : "")});
      tr.append(el("td", {}, new Date(ev.at * 1000).toLocaleTimeString()), el("td", {}, ev.event_type),
        el("td", {}, ev.source), el("td", {}, ev.event_id));
      const f = el("td");
      for (const k of ev.findings) f.append(el("span", {"class": "tag finding-tag"}, k), " ");
      tr.append(f);
      rows.append(tr);
    }
    body.replaceChildren(rows);
  }
  function inspect(ev) {
    $("inspect-empty").hidden = true; $("inspector").hidden = false;
    $("inspect-title").textContent = ev.event_type + " · " + ev.event_id;
    $("inspect-payload").textContent = JSON.stringify(ev.data, null, 2);
    const s = schemas[ev.event_type];
    $("schema-title").textContent = s ? s.name + " " + s.version : "not declared";
    $("inspect-schema").textContent = s ? JSON.stringify(s.schema, null, 2) : "This type is not in the model.";
  }
  $("stream").addEventListener("click", (e) => {
    const tr = e.target.closest("tr"); if (!tr) return;
    const ev = byId.get(tr.dataset.id); if (ev) inspect(ev);
  });
  $("stream").addEventListener("keydown", (e) => { if (e.key === "Enter") e.target.click(); });
  $("pause").addEventListener("click", () => {
    paused = !paused;
    $("pause").setAttribute("aria-pressed", String(paused));
    $("pause").textContent = paused ? "Resume" : "Pause";
    if (!paused) renderStream();
  });
  for (const id of ["f-type", "f-source", "f-finding", "f-search"]) $(id).addEventListener("input", renderStream);

  // Findings, grouped: one row per (kind, wire type, path) with a count and the latest detail,
  // newest on top, at most MAX_GROUPS rows (a fault storm used to grow the page without end).
  const findingKinds = new Set();
  const groups = new Map();  // key -> {li, count}
  let findingsTotal = 0;
  function renderFindings(list) {
    const ul = $("findings");
    for (const f of list) {
      findingsTotal++;
      if (!findingKinds.has(f.kind)) { findingKinds.add(f.kind); $("f-finding").append(el("option", {}, f.kind)); }
      const key = [f.kind, f.message_type, f.path || ""].join("\u0000");
      let g = groups.get(key);
      if (!g) {
        const li = el("li", {"class": "finding"});
        g = {li: li, count: 0};
        groups.set(key, g);
        li.append(el("span", {"class": "sev sev-" + f.severity}, f.kind), el("code", {}, f.message_type));
        if (f.path) li.append(el("code", {"class": "path"}, f.path));
        g.countEl = el("span", {"class": "count"});
        g.timeEl = el("time", {"class": "muted"});
        li.append(g.countEl, g.timeEl);
        if (f.kind === "undeclared-type" && canEdit) {
          li.append(el("a", {"class": "button small", "href": root.dataset.adopt + "?type=" + encodeURIComponent(f.message_type),
            "title": "See the schema inferred from the traffic, then add it as a message"}, "Add to model…"));
        }
        g.detailEl = el("span", {"class": "detail"});
        li.append(g.detailEl);
      }
      g.count++;
      g.li.classList.toggle("remembered", f.id <= rememberedUpTo && (!g.live));
      if (f.id > rememberedUpTo) g.live = true;
      g.countEl.textContent = "× " + g.count;
      g.timeEl.textContent = new Date((f.at || Date.now() / 1000) * 1000).toLocaleTimeString();
      g.detailEl.textContent = f.detail || "";
      ul.prepend(g.li);  // moves an existing group to the top
    }
    while (ul.children.length > MAX_GROUPS) {
      const last = ul.lastElementChild;
      for (const [k, g] of groups) if (g.li === last) groups.delete(k);
      last.remove();
    }
    $("findings-empty").hidden = groups.size > 0;
    $("findings-count").textContent = findingsTotal + " in " + groups.size + " group" + (groups.size === 1 ? "" : "s");
  }

  function sparkline(series) {
    const w = 120, h = 24, max = Math.max(1, ...series);
    const step = series.length > 1 ? w / (series.length - 1) : w;
    const pts = series.map((v, i) => (i * step).toFixed(1) + "," + (h - 1 - (v / max) * (h - 2)).toFixed(1)).join(" ");
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", `0 0 ${w} ${h}`); svg.setAttribute("width", w); svg.setAttribute("height", h);
    svg.setAttribute("role", "img"); svg.setAttribute("aria-label", "per-minute counts: " + series.join(", "));
    const line = document.createElementNS("http://www.w3.org/2000/svg", "polyline");
    line.setAttribute("points", pts); line.setAttribute("fill", "none"); line.setAttribute("stroke", "currentColor");
    line.setAttribute("stroke-width", "1.5");
    svg.append(line);
    return svg;
  }
  // Counts on the diagram's edges: the server lists, per wire type, the stable SVG ids of the
  // edges that carry it (designer.core.diagram.edge_id); each label becomes "sends · N/min".
  let edgeIds = {};
  try { edgeIds = JSON.parse(document.getElementById("live-edges").textContent); } catch (e) { edgeIds = {}; }
  let lastRates = {};
  function paintEdges() {
    for (const [type, ids] of Object.entries(edgeIds)) {
      const series = lastRates[type];
      const n = series ? (series[series.length - 1] || 0) : 0;
      for (const id of ids) {
        const g = document.getElementById(id);
        if (!g) continue;
        const label = g.querySelector("text");
        if (!label) continue;
        if (!label.dataset.base) label.dataset.base = label.textContent;
        label.textContent = n ? `${label.dataset.base} · ${n}/min` : label.dataset.base;
        g.classList.toggle("live-active", n > 0);
      }
    }
  }
  document.body.addEventListener("htmx:afterSettle", paintEdges);
  function renderStats(s) {
    lastRates = s.rates || {};
    paintEdges();
    const body = $("rates");
    const rows = document.createDocumentFragment();
    for (const [type, series] of Object.entries(s.rates).sort()) {
      const tr = el("tr");
      const known = schemas[type];
      tr.append(el("td", {}, type), el("td", {"class": known ? "" : "muted"}, known ? known.name : "undeclared"));
      const td = el("td"); td.append(sparkline(series)); tr.append(td);
      tr.append(el("td", {}, String(series[series.length - 1] || 0)));
      rows.append(tr);
    }
    body.replaceChildren(rows);
    $("totals").textContent = `${s.events} events, ${s.findings} findings since this server started` +
      (s.not_streamed ? `; ${s.not_streamed} not streamed (too fast to show, still checked and kept)` : "");
  }
  const feeds = {};
  function renderStatus(statuses) {
    Object.assign(feeds, statuses);
    const ul = $("live-feeds");
    ul.replaceChildren(...Object.values(feeds).map((f) => {
      const li = el("li", {"class": "feed feed-" + f.state, "data-state": f.state});
      li.append(el("b", {}, f.source), " ", el("span", {"class": "badge"}, f.state), f.detail ? " " + f.detail : "");
      return li;
    }));
  }

  connect();
})();
