/* The SPARQL editor at /query: syntax highlighting and Ctrl+Enter to run.
   Progressive enhancement (written for govkg, no third-party code): without this file
   the page is a plain form. The textarea keeps the text and the caret; its text is
   made transparent and a highlighted <pre> behind it shows the same text, re-drawn on
   every edit and scrolled with it. */
(function () {
  "use strict";

  var KEYWORDS = [
    "BASE", "PREFIX", "SELECT", "DISTINCT", "REDUCED", "AS", "CONSTRUCT", "DESCRIBE", "ASK",
    "FROM", "NAMED", "WHERE", "ORDER", "BY", "ASC", "DESC", "LIMIT", "OFFSET", "VALUES",
    "OPTIONAL", "GRAPH", "UNION", "MINUS", "FILTER", "BIND", "SERVICE", "SILENT", "GROUP",
    "HAVING", "UNDEF", "EXISTS", "NOT", "IN", "A", "TRUE", "FALSE",
    "COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT", "SEPARATOR",
    "STR", "LANG", "LANGMATCHES", "DATATYPE", "BOUND", "IRI", "URI", "BNODE", "RAND", "ABS",
    "CEIL", "FLOOR", "ROUND", "CONCAT", "STRLEN", "UCASE", "LCASE", "ENCODE_FOR_URI",
    "CONTAINS", "STRSTARTS", "STRENDS", "STRBEFORE", "STRAFTER", "YEAR", "MONTH", "DAY",
    "HOURS", "MINUTES", "SECONDS", "TIMEZONE", "TZ", "NOW", "UUID", "STRUUID", "MD5",
    "SHA1", "SHA256", "SHA384", "SHA512", "COALESCE", "IF", "STRLANG", "STRDT", "SAMETERM",
    "ISIRI", "ISURI", "ISBLANK", "ISLITERAL", "ISNUMERIC", "REGEX", "SUBSTR", "REPLACE"
  ];
  var KEYWORD = {};
  KEYWORDS.forEach(function (k) { KEYWORD[k] = true; });

  // one alternative per token class, tried in this order at each position
  var TOKEN = new RegExp([
    "(#[^\\n]*)",                                                        // 1 comment
    "(\"\"\"[\\s\\S]*?(?:\"\"\"|$)|'''[\\s\\S]*?(?:'''|$)" +
      "|\"(?:[^\"\\\\\\n]|\\\\.)*\"?|'(?:[^'\\\\\\n]|\\\\.)*'?)",      // 2 string
    "(<[^<>\"{}|^`\\\\\\s]*>)",                                          // 3 IRI
    "([?$][A-Za-z0-9_\\u00b7-\\uffff]+)",                                // 4 variable
    "((?:[A-Za-z\\u00c0-\\uffff][\\w.\\-]*)?:[\\w.\\-:%]*)",             // 5 prefixed name
    "([A-Za-z_]\\w*)",                                                   // 6 word
    "([+-]?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?)"                          // 7 number
  ].join("|"), "g");

  function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function span(cls, text) {
    return '<span class="tok-' + cls + '">' + escapeHtml(text) + "</span>";
  }

  function highlight(text) {
    var out = "";
    var last = 0;
    var m;
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(text)) !== null) {
      if (m[0] === "") { TOKEN.lastIndex += 1; continue; }
      out += escapeHtml(text.slice(last, m.index));
      if (m[1]) { out += span("comment", m[1]); }
      else if (m[2]) { out += span("string", m[2]); }
      else if (m[3]) { out += span("iri", m[3]); }
      else if (m[4]) { out += span("variable", m[4]); }
      else if (m[5]) { out += span("pname", m[5]); }
      else if (m[6]) {
        out += KEYWORD[m[6].toUpperCase()] ? span("keyword", m[6]) : escapeHtml(m[6]);
      }
      else { out += span("number", m[7]); }
      last = TOKEN.lastIndex;
    }
    out += escapeHtml(text.slice(last));
    // a trailing newline needs a character after it to take up its line
    return out + (text.slice(-1) === "\n" ? " " : "");
  }

  function enhance(box) {
    var input = box.querySelector("textarea");
    if (!input) { return; }
    var pre = document.createElement("pre");
    pre.className = "sparql-highlight";
    pre.setAttribute("aria-hidden", "true");
    var code = document.createElement("code");
    pre.appendChild(code);
    box.insertBefore(pre, input);
    box.classList.add("enhanced");

    function draw() {
      code.innerHTML = highlight(input.value);
      sync();
    }
    function sync() {
      pre.scrollTop = input.scrollTop;
      pre.scrollLeft = input.scrollLeft;
    }
    input.addEventListener("input", draw);
    input.addEventListener("scroll", sync);
    if (window.ResizeObserver) { new ResizeObserver(sync).observe(input); }
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        var form = input.form;
        if (!form) { return; }
        if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
      }
    });
    draw();
  }

  var boxes = document.querySelectorAll("[data-sparql-editor]");
  for (var i = 0; i < boxes.length; i += 1) { enhance(boxes[i]); }
})();
