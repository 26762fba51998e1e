// Lays the briefing out on A4 sheets in whatever browser opens it (and in the Chromium that
// prints the PDF): each block of the flow goes on the current sheet if it fits, else on the next;
// a heading stays with what follows it; a section starts a sheet; a table longer than a sheet is
// cut between rows. Then every sheet gets its page number and the contents their page numbers.
// Anything else taller than a sheet is marked data-overflow on its sheet, for the print step to
// refuse. Written in plain ES5-era JavaScript
// so an old office browser runs it too.
(function () {
  var root = document.documentElement;

  function paginate() {
    var flow = document.querySelector("main.flow");
    if (!flow || root.getAttribute("data-ready")) return;
    var blocks = Array.prototype.slice.call(flow.children);
    var pages = document.createElement("div");
    pages.className = "pages";
    flow.parentNode.insertBefore(pages, flow);
    var running = document.body.getAttribute("data-running") || "";
    var folio = document.body.getAttribute("data-folio") || "{n} / {total}";
    var body = null;

    function newSheet(cover) {
      var sheet = document.createElement("div");
      sheet.className = "sheet" + (cover ? " cover-sheet" : "");
      if (!cover) {
        var head = document.createElement("div");
        head.className = "running";
        head.textContent = running;
        sheet.appendChild(head);
      }
      body = document.createElement("div");
      body.className = "sheet-body";
      sheet.appendChild(body);
      if (!cover) {
        var foot = document.createElement("div");
        foot.className = "folio";
        sheet.appendChild(foot);
      }
      pages.appendChild(sheet);
    }

    function overflows() {
      return body.scrollHeight > body.clientHeight + 1;
    }

    function place(group) {
      for (var k = 0; k < group.length; k++) body.appendChild(group[k]);
    }

    // A table longer than a sheet goes on in a copy of its block on the next sheet, cut between
    // rows, its header repeated; what comes before the table stays, what follows it moves on.
    function splitTable(block) {
      var table = block.tagName === "TABLE" ? block : block.querySelector("table");
      if (!table || !table.tBodies.length || table.tBodies[0].rows.length < 2) return null;
      var rows = table.tBodies[0].rows;
      var total = rows.length;
      var kept = total;
      while (overflows() && kept > 1) rows[--kept].style.display = "none";
      if (kept === total) return null;
      var rest = block.cloneNode(true);
      var restTable = rest.tagName === "TABLE" ? rest : rest.querySelector("table");
      for (var r = total - 1; r >= kept; r--) table.tBodies[0].removeChild(rows[r]);
      for (var q = kept - 1; q >= 0; q--) restTable.tBodies[0].removeChild(restTable.tBodies[0].rows[q]);
      var restRows = restTable.tBodies[0].rows;
      for (var v = 0; v < restRows.length; v++) restRows[v].style.display = "";
      if (block !== table) {
        while (table.nextSibling) table.parentNode.removeChild(table.nextSibling);
        while (restTable.previousSibling) restTable.parentNode.removeChild(restTable.previousSibling);
      }
      rest.className += " continued";
      rest.removeAttribute("id");
      return rest;
    }

    for (var i = 0; i < blocks.length; i++) {
      var group = [blocks[i]];
      while (/(^| )keep( |$)/.test(group[group.length - 1].className) && i + 1 < blocks.length) group.push(blocks[++i]);
      if (!body || /(^| )page-start( |$)/.test(group[0].className)) newSheet(group[0].getAttribute("data-sheet") === "cover");
      var empty = body.childNodes.length === 0;
      place(group);
      if (!overflows()) continue;
      if (!empty) {
        newSheet(false);
        place(group);
      }
      var last = group[group.length - 1];
      while (overflows() && last) {
        last = splitTable(last);
        if (!last) break;
        newSheet(false);
        body.appendChild(last);
      }
    }
    flow.parentNode.removeChild(flow);

    var sheets = pages.querySelectorAll(".sheet");
    for (var s = 0; s < sheets.length; s++) {
      var sheetBody = sheets[s].querySelector(".sheet-body");
      if (sheetBody.scrollHeight > sheetBody.clientHeight + 1) sheets[s].setAttribute("data-overflow", "true");
      var f = sheets[s].querySelector(".folio");
      if (f) f.textContent = folio.replace("{n}", String(s + 1)).replace("{total}", String(sheets.length));
    }
    var entries = document.querySelectorAll("[data-toc-target]");
    for (var e = 0; e < entries.length; e++) {
      var target = document.getElementById(entries[e].getAttribute("data-toc-target"));
      for (var n = 0; n < sheets.length; n++) if (target && sheets[n].contains(target)) entries[e].textContent = String(n + 1);
    }
    root.setAttribute("data-pages", String(sheets.length));
    root.setAttribute("data-ready", "true");
  }

  function start() {
    if (document.fonts && document.fonts.ready) document.fonts.ready.then(paginate);
    else paginate();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
