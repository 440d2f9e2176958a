/**
 * The fields through which a unit's state names a child: the child, and the referral, placement or step-down
 * that lead to one.
 */
const CHILD_KEYS: ReadonlySet<string> = new Set(['childId', 'referralId', 'placementId', 'stepDownId']);

/**
 * A copy of a unit's state with every field that names a child removed, at any depth: what a
 * residential manager sees of a home they do not keep (which beds are held or taken, not by whom).
 */
export function withoutChildren<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => withoutChildren(item)) as T;
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) if (!CHILD_KEYS.has(key)) copy[key] = withoutChildren(field);
  return copy as T;
}
