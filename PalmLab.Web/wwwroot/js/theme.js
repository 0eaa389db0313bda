// Remembers the light/dark choice in a cookie, so the server renders the right theme on the next visit
// before the page becomes interactive (no flash of the wrong theme). Names come from ThemePreference.cs.
export function store(name, value, maxAgeSeconds) {
  document.cookie = `${encodeURIComponent(name)}=${encodeURIComponent(value)}; path=/; max-age=${maxAgeSeconds}; samesite=lax`;
}
