/** Checks a form makes before sending, the same the server makes (it checks again). */
export const validEmail = (value: string) => (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim()) ? null : 'Enter a valid email address.');
export const validPassword = (value: string) => (value.length >= 10 ? null : 'Use at least 10 characters.');
export const required = (label: string) => (value: string) => (value.trim() ? null : `${label} is required.`);
