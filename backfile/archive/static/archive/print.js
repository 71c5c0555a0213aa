// The article page's print button: hidden in the page as served (it needs a script, and
// the CSP allows no inline handler), shown and wired to the browser's print dialog here.
document.querySelectorAll("button[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
