// Small behaviours without inline scripts (the Content-Security-Policy allows no inline code).
document.addEventListener("change", function (event) {
  if (event.target.matches("select[data-autosubmit]")) {
    event.target.form.submit();
  }
});
