/* Search language plugin for Material's lunr worker: one language, accent-folded, with
 * the guide's own stop words. Generated at build time by scripts/search_rank.py from
 * docs/_data/busqueda/palabras.yml (DATA below); edit the data file or this template,
 * never the copy in the built site.
 *
 * Material's worker loads `assets/javascripts/lunr/min/lunr.<lang>.min.js` for every
 * language named in the index (`config.lang`) and calls `builder.use(lunr[<lang>])`; the
 * index names this plugin instead of `es`/`en`, so the worker itself stays untouched.
 *
 * Index side: fold accents (atención -> atencion, niño -> nino), trim punctuation, drop
 * stop words, in every field. Query side (Material appends `*` to every term and lunr
 * then skips the pipeline): fold the term too; terms shorter than MIN_PREFIX letters and
 * stop words match exactly, never as a prefix ("de*" no longer matches "declaración");
 * a plural ending is cut so that "violaciones" also finds "violación".
 */
(function () {
  "use strict";
  var DATA = __KB_SEARCH_DATA__;
  var STOP = Object.create(null);
  DATA.stop.forEach(function (word) { STOP[word] = true; });
  var WILDCARD = "*";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function trim(text) {
    return text.replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, "");
  }

  /* Cut a plural ending, keeping a prefix of the typed word (only ever widens a match). */
  function stem(term) {
    var cut = 0;
    if (DATA.lang === "es") {
      if (/[^aeiou]es$/.test(term)) cut = 2;          /* mujeres, violaciones, adolescentes */
      else if (/[aeiou]s$/.test(term)) cut = 1;       /* ninas, casos */
    } else {
      if (/ies$/.test(term)) cut = 3;                 /* injuries -> injur* */
      else if (/sses$/.test(term)) cut = 2;           /* witnesses -> witness* */
      else if (/[^su]s$/.test(term)) cut = 1;         /* signs, cases; not "ss", "us" */
    }
    return cut && term.length - cut >= DATA.min_stem ? term.slice(0, term.length - cut) : term;
  }

  function kbFold(token) {
    return token.update(function (text) { return trim(fold(text)); });
  }

  function kbStop(token) {
    var text = token && token.toString();
    if (text && !STOP[text]) return token;
  }

  lunr.Pipeline.registerFunction(kbFold, "kbFold");
  lunr.Pipeline.registerFunction(kbStop, "kbStop");

  /* Material marks a query word "missing" unless lunr.stopWordFilter says it is a stop word. */
  lunr.stopWordFilter = kbStop;

  lunr[DATA.name] = function () {
    this.pipeline.reset();
    this.pipeline.add(kbFold, kbStop);
    this.searchPipeline.reset();
    this.searchPipeline.add(kbFold, kbStop);
  };

  /* Every query clause passes here (lunr's parser, Material's own analysis, suggestions). */
  var clause = lunr.Query.prototype.clause;
  lunr.Query.prototype.clause = function (spec) {
    var term = String(spec.term || "");
    var trailing = term.slice(-1) === WILDCARD ||
      Boolean((spec.wildcard || 0) & lunr.Query.wildcard.TRAILING);
    if (trailing && !(term.charAt(0) === WILDCARD || ((spec.wildcard || 0) & lunr.Query.wildcard.LEADING))) {
      var base = trim(fold(term.replace(/\*+$/, "")));
      if (base.length < DATA.min_prefix || STOP[base]) {
        spec.term = base;
        spec.wildcard = lunr.Query.wildcard.NONE;
        spec.usePipeline = true;
        if (spec.presence === lunr.Query.presence.REQUIRED)
          spec.presence = lunr.Query.presence.OPTIONAL;
      } else {
        spec.term = stem(base) + (term.slice(-1) === WILDCARD ? WILDCARD : "");
      }
    }
    return clause.call(this, spec);
  };
})();
