/* The reader's display choices (archive/_display.html): the CSS applies them as soon as a
   radio is checked; this script only remembers them across pages (localStorage) and checks
   them again when a page loads. It runs where it is included, right after the controls, so
   the page is drawn with the reader's choice from the start. Without it, a choice lasts for
   the page it was made on. */
(function () {
  "use strict";
  var names = ["display-theme", "display-size"];
  var store;
  try {
    store = window.localStorage;
    store.getItem("backfile:display-theme");
  } catch (blocked) {
    return; /* storage refused (private windows, settings): choices last a page */
  }
  names.forEach(function (name) {
    var chosen = document.getElementById(name + "-" + store.getItem("backfile:" + name));
    if (chosen && chosen.name === name) {
      chosen.checked = true;
    }
  });
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (names.indexOf(input.name) !== -1 && input.checked) {
      try {
        store.setItem("backfile:" + input.name, input.value);
      } catch (full) {
        /* nothing to do: the choice still holds on this page */
      }
    }
  });
})();
