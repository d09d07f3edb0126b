// The plan page's one control: the browser's print dialog (which also saves as PDF).
document.getElementById("print-plan")?.addEventListener("click", () => window.print());
