// Formats values for people: times, durations, money, token counts and scores.

const DATE_TIME = new Intl.DateTimeFormat(undefined, {
  year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
});
const CLOCK = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** "May 01, 2025, 10:00:00" in the browser's time zone. */
export function dateTime(iso) {
  return iso ? DATE_TIME.format(new Date(iso)) : '—';
}

/** "10:00:00" in the browser's time zone. */
export function clock(iso) {
  return iso ? CLOCK.format(new Date(iso)) : '—';
}

/** "850 ms", "1.25 s", "2 min 5 s". */
export function duration(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}

/** "$0.00123", "$1.50". */
export function cost(usd) {
  if (usd === null || usd === undefined) return '—';
  if (usd === 0) return '$0';
  if (usd < 0.01) return '$' + Number(usd.toPrecision(3)).toString();
  return '$' + usd.toFixed(2);
}

/** "1,234". */
export function count(value) {
  return value === null || value === undefined ? '—' : Number(value).toLocaleString();
}

/** The value of a score as text: the label of a categorical or boolean score, or the number. */
export function scoreValue(score) {
  if (score.dataType === 'CATEGORICAL' || score.dataType === 'BOOLEAN') return score.stringValue ?? '—';
  return score.value === null || score.value === undefined ? '—' : String(Number(score.value.toFixed(3)));
}

/** Turns a datetime-local value ("2025-05-01T10:00") into an ISO instant in the browser's time zone. */
export function localToIso(value) {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
