// On a phone, table rows are shown as cards without the header row; give every cell
// its column's name so the values still say what they are. Without JavaScript the
// tables simply stay tables.
document.querySelectorAll("table.ds-table").forEach((table) => {
  const heads = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
  if (!heads.length) return;
  table.querySelectorAll("tbody tr").forEach((row) => {
    let column = 0;
    [...row.children].forEach((cell) => {
      const name = heads[column];
      if (name && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", name);
      column += cell.colSpan || 1;
    });
  });
});
