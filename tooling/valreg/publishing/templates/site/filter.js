// Optional: a filter on the list of values. Without JavaScript the whole list shows.
(function () {
  "use strict";
  var box = document.getElementById("filter");
  var input = document.getElementById("filter-text");
  var count = document.getElementById("filter-count");
  var table = document.getElementById("values");
  if (!box || !input || !table) {
    return;
  }
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  box.hidden = false;
  input.addEventListener("input", function () {
    var wanted = input.value.trim().toLocaleLowerCase("da");
    var shown = 0;
    rows.forEach(function (row) {
      var match = row.textContent.toLocaleLowerCase("da").indexOf(wanted) !== -1;
      row.hidden = !match;
      if (match) {
        shown += 1;
      }
    });
    count.textContent = wanted ? shown + " af " + rows.length + " værdier vises" : "";
  });
})();
