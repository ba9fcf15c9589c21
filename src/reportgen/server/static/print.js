// reportgen serve: a print view opens the browser's print dialog once it has loaded (the page's
// own print style hides the menus and buttons).
window.addEventListener("load", () => window.print());
