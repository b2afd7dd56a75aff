// Progressive enhancements only; every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // A form that failed: its error summary takes the focus, so the page says at once what to fix.
  // A question to answer before saving (data-focus-on-load) is treated the same way.
  const errorSummary = document.querySelector("[data-error-summary], [data-focus-on-load]");
  if (errorSummary) {
    errorSummary.focus();
  } else {
    const invalid = document.querySelector("[aria-invalid=true]");
    if (invalid) invalid.focus();
  }
  // Buttons that need a confirmation carry data-confirm="question".
  document.querySelectorAll("[data-confirm]").forEach((el) => {
    el.addEventListener("click", (event) => {
      if (!window.confirm(el.dataset.confirm)) event.preventDefault();
    });
  });
  // Print buttons (recovery codes) are hidden until this script can make them work.
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  });
  // After a failed scan the field keeps the code, selected: the next scan replaces it.
  document.querySelectorAll("[data-select-on-load]").forEach((field) => {
    field.focus();
    field.select();
  });
  // "Select all" checkbox for device selections (labels).
  document.querySelectorAll("[data-select-all]").forEach((box) => {
    box.addEventListener("change", () => {
      document.querySelectorAll(`input[name="${box.dataset.selectAll}"]`).forEach((item) => {
        item.checked = box.checked;
      });
    });
  });
});
