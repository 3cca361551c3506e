/* "Build your own list" (formacion/mi-lista): tick pages, get a link, print the sheet.
   The catalogue is the page's own list (li[data-kb-key]: link, title, minutes), so this
   works from file:// too (no fetch). The selection lives in the URL:
   ?p=protocolos/primer-contacto,identificacion/salud-fisica&t=Title
   Without JavaScript the page is a plain list of links. */
(function () {
  "use strict";
  var root = document.querySelector(".kb-milista");
  if (!root) { return; }
  var TEXT = {
    es: {
      title: "Lista de lectura", readings: "lecturas", total: "Tiempo total de lectura",
      missing: "Estas páginas ya no existen en esta versión de la guía:",
      link: "Enlace de esta lista", copy: "Copiar el enlace", copied: "Enlace copiado",
      print: "Imprimir la hoja de tareas", change: "Cambiar la selección",
      name: "Nombre", due: "Fecha de entrega", none: "Marque al menos una página.",
      offline: "Está usando la copia sin conexión: este enlace solo abre en este equipo."
    },
    en: {
      title: "Reading list", readings: "readings", total: "Total reading time",
      missing: "These pages no longer exist in this version of the guide:",
      link: "Link to this list", copy: "Copy the link", copied: "Link copied",
      print: "Print the assignment sheet", change: "Change the selection",
      name: "Name", due: "Due date", none: "Tick at least one page.",
      offline: "You are using the offline copy: this link only opens on this device."
    }
  };
  var lang = root.getAttribute("data-lang") === "en" ? "en" : "es";
  var t = TEXT[lang];
  var form = root.querySelector("#kb-milista-form");
  var result = root.querySelector("#kb-milista-result");
  var titleInput = root.querySelector("#kb-milista-title");

  // Catalogue, in page order.
  var order = [];
  var pages = {};
  Array.prototype.forEach.call(root.querySelectorAll("li[data-kb-key]"), function (li) {
    var key = li.getAttribute("data-kb-key");
    var link = li.querySelector("a");
    var time = li.querySelector(".kb-rt");
    order.push(key);
    pages[key] = {
      title: link.textContent, href: link.href,
      minutes: parseInt(time && time.getAttribute("data-min"), 10) || 0,
      section: li.getAttribute("data-kb-section") || "", box: li.querySelector("input")
    };
  });

  function minutesText(m) {
    return m < 60 ? m + " min" : Math.floor(m / 60) + " h " + ("0" + (m % 60)).slice(-2) + " min";
  }

  function query(keys, title) {
    return "?p=" + keys.map(encodeURIComponent).join(",").replace(/%2F/g, "/") +
      (title ? "&t=" + encodeURIComponent(title) : "");
  }

  function shareBase() {
    // The public address when the site has one (canonical); else this copy's address.
    var canonical = document.querySelector('link[rel="canonical"]');
    var base = canonical && canonical.href ? canonical.href : location.href;
    return base.split("#")[0].split("?")[0];
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function showList(keys, title) {
    var found = keys.filter(function (k) { return pages[k]; });
    var missing = keys.filter(function (k) { return !pages[k]; });
    var total = found.reduce(function (sum, k) { return sum + pages[k].minutes; }, 0);
    result.textContent = "";
    result.appendChild(el("h2", {id: "kb-milista-heading"}, title || t.title));
    result.appendChild(el("p", {"class": "kb-milista__summary"},
      found.length + " " + t.readings + " · " + t.total + ": " + minutesText(total)));
    var fill = el("p", {"class": "kb-milista__fill"});
    fill.appendChild(el("span", {}, t.name + ": ______________________"));
    fill.appendChild(el("span", {}, t.due + ": ____________"));
    result.appendChild(fill);
    var list = el("ol", {"class": "kb-milista__list"});
    found.forEach(function (k) {
      var item = el("li", {"data-kb-key": k});
      item.appendChild(el("span", {"class": "kb-milista__box", "aria-hidden": "true"}, "☐ "));
      item.appendChild(el("a", {href: pages[k].href}, pages[k].title));
      item.appendChild(document.createTextNode(" · " + minutesText(pages[k].minutes) + " · "));
      item.appendChild(el("span", {"class": "kb-milista__section"}, pages[k].section));
      list.appendChild(item);
    });
    result.appendChild(list);
    if (missing.length) {
      result.appendChild(el("p", {"class": "kb-milista__missing"}, t.missing + " " + missing.join(", ")));
    }
    var share = shareBase() + query(keys, title);
    var tools = el("div", {"class": "kb-milista__tools"});
    var label = el("label", {"for": "kb-milista-link"}, t.link);
    var input = el("input", {type: "text", id: "kb-milista-link", readonly: "readonly", value: share});
    var copy = el("button", {type: "button", "class": "md-button"}, t.copy);
    copy.addEventListener("click", function () {
      input.select();
      var done = function () { copy.textContent = t.copied; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(share).then(done, function () { document.execCommand("copy"); done(); });
      } else { document.execCommand("copy"); done(); }
    });
    var print = el("button", {type: "button", "class": "md-button md-button--primary"}, t.print);
    print.addEventListener("click", function () { window.print(); });
    var change = el("a", {href: "#kb-milista-form", "class": "md-button"}, t.change);
    tools.appendChild(label);
    tools.appendChild(input);
    tools.appendChild(copy);
    tools.appendChild(print);
    tools.appendChild(change);
    if (location.protocol === "file:" && share.indexOf("file:") === 0) {
      tools.appendChild(el("p", {"class": "kb-milista__note"}, t.offline));
    }
    result.appendChild(tools);
    result.hidden = false;
    document.body.classList.add("kb-milista--list");
    // Whoever opens a shared link sees the list first, right under the page title.
    var heading = document.querySelector(".md-content__inner > h1");
    if (heading) { heading.insertAdjacentElement("afterend", result); }
    // Keep the list when switching language (same keys, other language's page).
    Array.prototype.forEach.call(document.querySelectorAll("a[hreflang]"), function (a) {
      var href = a.getAttribute("href");
      if (href && href.indexOf("?") < 0 && href.indexOf(":") < 0) { a.setAttribute("href", href + query(keys, title)); }
    });
  }

  // Show the tick boxes and buttons.
  Array.prototype.forEach.call(root.querySelectorAll(".kb-milista__controls, input[type=checkbox]"),
    function (node) { node.hidden = false; });

  var params = new URLSearchParams(location.search);
  // Pages moved since the link was made (redirects in mkdocs.yml): old key -> new key.
  var moved = {};
  try { moved = JSON.parse(root.getAttribute("data-moved") || "{}"); } catch (e) { moved = {}; }
  var keys = (params.get("p") || "").split(",").map(function (k) { k = k.trim(); return moved[k] || k; })
    .filter(function (k, i, all) { return k && all.indexOf(k) === i; });
  var title = (params.get("t") || "").trim();
  if (titleInput) { titleInput.value = title; }
  keys.forEach(function (k) { if (pages[k] && pages[k].box) { pages[k].box.checked = true; } });
  if (keys.length) { showList(keys, title); }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var chosen = order.filter(function (k) { return pages[k].box && pages[k].box.checked; });
    if (!chosen.length) { window.alert(t.none); return; }
    var here = location.href.split("#")[0].split("?")[0];
    location.href = here + query(chosen, titleInput ? titleInput.value.trim() : "");
  });
})();
