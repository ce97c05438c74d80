// The dashboard page: builds the DOM from the page state the server embedded as JSON
// (#pageState). Text goes in through textContent only, never innerHTML, so profile fields are
// always shown as text. Themes are CSS variables selected by <html data-theme>, remembered in
// localStorage ("selectedTheme", as the seed).
"use strict";

(function () {
  const state = JSON.parse(document.getElementById("pageState").textContent);
  const $ = (id) => document.getElementById(id);
  const THEME_KEY = "selectedTheme";
  const COMPONENTS = [
    ["platforms", "Plataformas"],
    ["availability", "Disponibilidade"],
    ["games", "Jogos"],
    ["styles", "Estilos"],
    ["interaction", "Interação"],
  ];

  // ---- themes -------------------------------------------------------------------------------
  const themeSelector = $("themeSelector");
  const applyTheme = (name) => {
    const theme = state.themes.includes(name) ? name : state.defaultTheme;
    document.documentElement.dataset.theme = theme;
    themeSelector.value = theme;
    return theme;
  };
  let savedTheme = null;
  try {
    savedTheme = window.localStorage.getItem(THEME_KEY);
  } catch (_) {
    savedTheme = null; // storage disabled: the default theme, not saved
  }
  applyTheme(savedTheme);
  themeSelector.addEventListener("change", () => {
    const theme = applyTheme(themeSelector.value);
    try {
      window.localStorage.setItem(THEME_KEY, theme);
    } catch (_) {
      // storage disabled: the choice lasts for this page only
    }
  });

  // ---- "new match" ----------------------------------------------------------------------------
  const retestBtn = $("retestBtn");
  retestBtn.addEventListener("click", () => {
    retestBtn.disabled = true;
    retestBtn.classList.add("busy");
    retestBtn.querySelector(".label").textContent = "Gerando...";
    window.location.href = "/new_match";
  });

  // ---- helpers ----------------------------------------------------------------------------------
  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  };
  const orNA = (value) => (value === undefined || value === null || value === "" ? "N/A" : String(value));
  const fixed = (x, digits) => (typeof x === "number" && Number.isFinite(x) ? x.toFixed(digits) : "N/A");
  const fillBadges = (container, items, extraClass) => {
    container.replaceChildren();
    const list = Array.isArray(items) ? items.filter((s) => typeof s === "string" && s.trim() !== "") : [];
    if (list.length === 0) {
      container.append(el("em", "muted", "Nenhum"));
      return;
    }
    for (const item of list) container.append(el("span", extraClass ? `badge ${extraClass}` : "badge", item.trim()));
  };
  const contactNode = (shares) => {
    const span = el("span", shares ? "contact-yes" : "contact-no", shares ? "Sim ✓" : "Não ✗");
    return span;
  };

  const show = (id) => {
    for (const section of ["loadingMessage", "errorMessage", "originNotFoundMessage", "mainContentArea"]) {
      $(section).hidden = section !== id;
    }
  };

  $("footerPipeline").textContent = state.pipeline || "-";
  $("footerRun").textContent = state.run || "-";

  // ---- origin search ----------------------------------------------------------------------------
  const searchInput = $("searchInput");
  const searchResults = $("searchResults");
  let searchTimer = 0;
  let searchSeq = 0;
  const renderResults = (profiles) => {
    searchResults.replaceChildren();
    if (profiles.length === 0) {
      searchResults.append(el("li", "muted", "Nenhum perfil com esse nome."));
    }
    for (const p of profiles) {
      const li = el("li");
      const a = el("a", null, `${p.name} (ID: ${p.id})`);
      a.href = `/profiles/${encodeURIComponent(p.id)}`;
      li.append(a, el("span", "muted", ` ${p.city}, ${p.state} · ${p.age} anos`));
      searchResults.append(li);
    }
    searchResults.hidden = false;
  };
  const search = async (q) => {
    const seq = ++searchSeq;
    try {
      const response = await fetch(`/api/profiles?q=${encodeURIComponent(q)}&limit=10`);
      const body = await response.json();
      if (seq !== searchSeq) return; // a newer search started meanwhile
      renderResults(response.ok ? body.profiles : []);
    } catch (_) {
      if (seq === searchSeq) renderResults([]);
    }
  };
  searchInput.addEventListener("input", () => {
    window.clearTimeout(searchTimer);
    const q = searchInput.value.trim();
    if (q === "") {
      searchResults.hidden = true;
      return;
    }
    searchTimer = window.setTimeout(() => search(q), 200);
  });
  $("searchForm").addEventListener("submit", (event) => {
    event.preventDefault();
    const q = searchInput.value.trim();
    if (/^\d+$/.test(q)) {
      window.location.href = `/profiles/${q}`;
      return;
    }
    const first = searchResults.querySelector("a");
    if (first) window.location.href = first.getAttribute("href");
    else if (q !== "") search(q);
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") searchResults.hidden = true;
  });

  // ---- states -----------------------------------------------------------------------------------
  if (state.status === "loading") {
    show("loadingMessage");
    $("loadingStep").textContent = state.message;
    // Poll the health route and reload once loading has ended (ready or failed).
    const poll = async () => {
      try {
        const response = await fetch("/healthz", { cache: "no-store" });
        const health = await response.json();
        if (health.status !== "loading") {
          window.location.reload();
          return;
        }
        $("loadingStep").textContent = health.message;
      } catch (_) {
        // server restarting: keep polling
      }
      window.setTimeout(poll, 1000);
    };
    window.setTimeout(poll, 1000);
    return;
  }
  if (state.status === "error") {
    show("errorMessage");
    $("errorMessageText").textContent = state.message;
    if (state.hint) {
      $("errorHintCommand").textContent = state.hint;
      $("errorHint").hidden = false;
    }
    return;
  }
  if (state.status === "not-found") {
    show("originNotFoundMessage");
    $("originNotFoundText").textContent = `${state.message}. Tente gerar um novo match.`;
    return;
  }

  // ---- ready: origin and matches ----------------------------------------------------------------
  const { origin, matches } = state.match;
  show("mainContentArea");
  document.title = `${origin.name} · Matchmaking Dashboard Avançado`;
  $("originName").textContent = `${origin.name} (ID: ${origin.id})`;
  $("originIdade").textContent = orNA(origin.age);
  $("originLocal").textContent = `${orNA(origin.city)}, ${orNA(origin.state)}`;
  $("originSexo").textContent = orNA(origin.sex);
  $("originDisp").textContent = orNA(origin.availability);
  $("originInteracao").textContent = orNA(origin.desiredInteraction);
  $("originContato").replaceChildren(contactNode(origin.sharesContact));
  fillBadges($("originPlatforms"), origin.platforms, "badge-platform");
  fillBadges($("originGames"), origin.favouriteGames);
  fillBadges($("originStyles"), origin.playStyles);
  fillBadges($("originMusic"), origin.musicGenres);
  $("originDesc").textContent = origin.description || "Sem descrição.";

  $("matchStats").textContent =
    `${state.match.candidates} candidatos do índice FAISS, ${state.match.passedGates} passaram os portões ` +
    `(plataforma/horário); score mínimo ${fixed(state.match.minScore, 2)}; ${fixed(state.match.tookMs, 1)} ms`;

  const breakdown = (match) => {
    const details = el("details", "breakdown");
    details.append(el("summary", null, "Detalhes do Score Ponderado"));
    const table = el("table");
    const head = el("tr");
    for (const h of ["Componente", "Score", "Peso", "Contribuição"]) head.append(el("th", null, h));
    const thead = el("thead");
    thead.append(head);
    table.append(thead);
    const body = el("tbody");
    for (const [key, label] of COMPONENTS) {
      const score = match.components[key];
      const weight = match.weights[key];
      const row = el("tr");
      row.dataset.component = key;
      const gate = match.gates[key];
      const nameCell = el("td", null, label);
      if (typeof gate === "number") nameCell.append(el("span", "gate", ` (mín. ${fixed(gate, 2)})`));
      const weightCell = el("td", "weight", `× ${fixed(weight, 2)}`);
      weightCell.dataset.weight = String(weight);
      row.append(nameCell, el("td", "component-score", fixed(score, 2)), weightCell, el("td", "contribution", `= ${fixed(score * weight, 3)}`));
      body.append(row);
    }
    table.append(body);
    const foot = el("tr", "total");
    foot.append(el("td", null, "Total Final"), el("td"), el("td"), el("td", "total-score", fixed(match.score, 3)));
    const tfoot = el("tfoot");
    tfoot.append(foot);
    table.append(tfoot);
    details.append(table);
    return details;
  };

  const matchCard = (match, i) => {
    const p = match.profile;
    const card = el("article", "card match-card");
    card.dataset.profileId = String(p.id);
    if (i < 10) card.style.animationDelay = `${(i + 1) * 0.1}s`;
    const header = el("div", "match-header");
    const title = el("h3", "card-title");
    const link = el("a", null, `${p.name} (ID: ${p.id})`);
    link.href = `/profiles/${encodeURIComponent(p.id)}`;
    link.title = "Ver os matches deste perfil";
    title.append(link);
    const score = el("div", "final-score");
    score.append(el("span", "final-score-label", "Score Final"), el("span", "final-score-value", fixed(match.score, 3)));
    header.append(title, score);
    card.append(header);

    const facts = el("ul", "match-facts");
    facts.append(el("li", null, `${orNA(p.age)} anos`), el("li", null, `${orNA(p.city)}, ${orNA(p.state)}`));
    const avail = el("li");
    avail.append(el("span", "availability", orNA(p.availability)), el("span", "muted", ` (Score: ${fixed(match.components.availability, 2)})`));
    const inter = el("li");
    inter.append(el("span", null, orNA(p.desiredInteraction)), el("span", "muted", ` (Score: ${fixed(match.components.interaction, 2)})`));
    const contact = el("li", null, "Contato: ");
    contact.append(contactNode(p.sharesContact));
    facts.append(avail, inter, contact);
    card.append(facts);

    for (const [label, items, key, cls] of [
      ["Plataformas", p.platforms, "platforms", "badge-platform"],
      ["Jogos", p.favouriteGames, "games", null],
      ["Estilos", p.playStyles, "styles", null],
    ]) {
      const group = el("div", "badge-group");
      group.append(el("h4", null, `${label} (Score: ${fixed(match.components[key], 2)})`));
      const badges = el("div", "badges");
      fillBadges(badges, items, cls);
      group.append(badges);
      card.append(group);
    }
    card.append(breakdown(match));
    return card;
  };

  const grid = $("similarProfilesGrid");
  grid.replaceChildren(...matches.map(matchCard));
  const title = $("similarProfilesTitle");
  title.textContent = `Top ${matches.length} Perfis Similares (Prioridade: Plataforma/Horário)`;
  const empty = matches.length === 0;
  title.hidden = empty;
  grid.hidden = empty;
  $("noSimilarProfilesMessage").hidden = !empty;
})();
