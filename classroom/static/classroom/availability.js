/* The weekly availability grid: the editor of the weekly rules when scripts run. Click or drag over
   half hours to switch them on or off; arrow keys move, Space or Enter switches, Shift+arrow
   carries the current cell's state along. It posts its cells (editor=grid, grid="0-09:00 …"); the
   server merges neighbours into rules. Without this script the page is the plain form. */
(function () {
  "use strict";
  var root = document.querySelector("[data-avail-grid]");
  if (!root || root.getAttribute("data-fits") !== "true") return;
  var form = root.closest("form");
  var text = form.querySelector("[data-avail-text]");
  var editor = root.querySelector("[data-avail-editor]");
  var field = root.querySelector("[data-avail-cells]");
  var scroller = root.querySelector("[data-avail-scroll]");
  var onWord = root.getAttribute("data-on");
  var offWord = root.getAttribute("data-off");
  var rows = Array.prototype.map.call(root.querySelectorAll("tbody tr"), function (tr) {
    return Array.prototype.slice.call(tr.querySelectorAll(".avail-cell"));
  });
  var STEP = 30;

  function isOn(cell) { return cell.getAttribute("aria-pressed") === "true"; }
  function set(cell, on) {
    cell.setAttribute("aria-pressed", on ? "true" : "false");
    cell.setAttribute("aria-label", cell.getAttribute("data-label") + ", " + (on ? onWord : offWord));
  }
  function sync() {
    var keys = [];
    rows.forEach(function (row) {
      row.forEach(function (cell) { if (isOn(cell)) keys.push(cell.getAttribute("data-cell")); });
    });
    field.value = keys.join(" ");
  }
  function position(cell) {
    for (var r = 0; r < rows.length; r++) {
      var c = rows[r].indexOf(cell);
      if (c !== -1) return [r, c];
    }
    return null;
  }
  function focusCell(cell) {
    rows.forEach(function (row) { row.forEach(function (c) { c.tabIndex = -1; }); });
    cell.tabIndex = 0;
    cell.focus();
  }

  // Mouse and pen: press, drag a rectangle, release. Touch: a tap switches one cell (a drag scrolls).
  var drag = null;
  var pointerType = "";
  function paint(to) {
    var a = drag.anchor, b = position(to);
    if (!b) return;
    drag.snapshot.forEach(function (row, r) {
      row.forEach(function (on, c) {
        var inside = r >= Math.min(a[0], b[0]) && r <= Math.max(a[0], b[0]) &&
          c >= Math.min(a[1], b[1]) && c <= Math.max(a[1], b[1]);
        set(rows[r][c], inside ? drag.mode : on);
      });
    });
  }
  root.addEventListener("pointerdown", function (event) {
    pointerType = event.pointerType;
    var cell = event.target.closest(".avail-cell[data-cell]");
    if (!cell || event.pointerType === "touch" || event.button !== 0) return;
    event.preventDefault();
    drag = {
      anchor: position(cell),
      mode: !isOn(cell),
      snapshot: rows.map(function (row) { return row.map(isOn); })
    };
    paint(cell);
    focusCell(cell);
  });
  root.addEventListener("pointerover", function (event) {
    var cell = event.target.closest && event.target.closest(".avail-cell[data-cell]");
    if (drag && cell) paint(cell);
  });
  document.addEventListener("pointerup", function () {
    if (!drag) return;
    drag = null;
    sync();
  });
  root.addEventListener("click", function (event) {
    var cell = event.target.closest(".avail-cell[data-cell]");
    // A mouse press was handled as a drag; a tap (touch) or Space / Enter (detail 0) switches here.
    if (!cell || (event.detail > 0 && pointerType !== "touch")) return;
    set(cell, !isOn(cell));
    focusCell(cell);
    sync();
  });

  root.addEventListener("keydown", function (event) {
    var cell = event.target.closest(".avail-cell[data-cell]");
    if (!cell) return;
    var at = position(cell), r = at[0], c = at[1];
    var moves = {
      ArrowUp: [r - 1, c], ArrowDown: [r + 1, c], ArrowLeft: [r, c - 1], ArrowRight: [r, c + 1],
      Home: [r, 0], End: [r, rows[r].length - 1], PageUp: [r - 4, c], PageDown: [r + 4, c]
    };
    var to = moves[event.key];
    if (!to) return;
    event.preventDefault();
    var nr = Math.max(0, Math.min(rows.length - 1, to[0]));
    var nc = Math.max(0, Math.min(rows[0].length - 1, to[1]));
    var next = rows[nr][nc];
    if (event.shiftKey) { set(next, isOn(cell)); sync(); }
    focusCell(next);
  });

  // Switching to the text fields carries the grid's hours over, merged as the server would.
  function hhmm(minutes) {
    var h = Math.floor(minutes / 60), m = minutes % 60;
    return (h < 10 ? "0" : "") + h + ":" + (m < 10 ? "0" : "") + m;
  }
  function windowsOf(day) {
    var windows = [];
    rows.forEach(function (row, r) {
      if (!isOn(row[day])) return;
      var start = r * STEP, last = windows[windows.length - 1];
      if (last && last[1] === start) last[1] = start + STEP;
      else windows.push([start, start + STEP]);
    });
    return windows.map(function (w) { return hhmm(w[0]) + "-" + hhmm(w[1]); }).join(", ");
  }
  root.querySelector("[data-avail-to-text]").addEventListener("click", function () {
    for (var day = 0; day < 7; day++) {
      var input = form.querySelector("#id_day_" + day);
      if (input) input.value = windowsOf(day);
    }
    editor.disabled = true;
    field.disabled = true;
    root.hidden = true;
    text.hidden = false;
    var first = form.querySelector("#id_day_0");
    if (first) first.focus();
  });

  // Start: the grid replaces the text fields; the first marked cell (or Monday 09:00) takes focus
  // on Tab, and the box scrolls to an hour before the first marked half hour (or to 07:00).
  root.hidden = false;
  text.hidden = true;
  editor.disabled = false;
  field.disabled = false;
  sync();
  var firstRow = rows.findIndex(function (row) { return row.some(isOn); });
  var start = firstRow === -1 ? rows[18][0] : rows[firstRow].filter(isOn)[0];
  start.tabIndex = 0;
  var top = Math.max(0, (firstRow === -1 ? 14 : firstRow - 2));
  var header = root.querySelector("thead");
  // (less a few pixels: the hour labels sit on the line above their row)
  scroller.scrollTop = rows[top][0].closest("tr").offsetTop - (header ? header.offsetHeight : 0) - 12;
})();
