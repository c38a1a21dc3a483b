/** An enum value as words: 'IN_PROGRESS' → 'In progress', 'HALF_OPEN' → 'Half open' (where no better name exists). */
export function humanize(value: string): string {
  const words = value.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
