// The risk taxonomy as the server sends it (logged_in.taxonomy and content.taxonomy): levels in
// order, categories with their severity, label and description, cues with theirs, in the
// console's language. The console keeps no copy of its own: docs/risk-taxonomy.md and the
// server's content are the one source (an unknown id is shown as it is).
let current = { levels: ['none', 'low', 'medium', 'high', 'imminent'], categories: new Map(), cues: new Map() };

export function setTaxonomy(taxonomy) {
  if (!taxonomy) return;
  current = {
    levels: Array.isArray(taxonomy.levels) && taxonomy.levels.length ? taxonomy.levels : current.levels,
    categories: new Map((taxonomy.categories || []).map((c) => [c.id, c])),
    cues: new Map((taxonomy.cues || []).map((c) => [c.id, c])),
  };
}

export function levels() { return current.levels; }
export function levelRank(level) { const i = current.levels.indexOf(level); return i < 0 ? 0 : i; }
export function categoryLabel(id) { return current.categories.get(id)?.label || id; }
export function categoryDescription(id) { return current.categories.get(id)?.description || ''; }
// Unknown categories count as low (they never raise what the console shows).
export function categorySeverity(id) { return current.categories.get(id)?.severity || 'low'; }
export function cueLabel(id) { return current.cues.get(id)?.label || id; }
export function categoryIds() { return [...current.categories.keys()]; }
