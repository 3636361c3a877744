// Random changes to an account, so incremental syncs have something to find: mostly updates, some
// creations and deletions, spread over the account's objects by their share of records.
import type { ChangeEvent, Dataset } from "./dataset";
import { Rng } from "./random";

export interface ChangeMix {
  update: number;
  create: number;
  delete: number;
}

export const DEFAULT_MIX: ChangeMix = { update: 0.6, create: 0.25, delete: 0.15 };

export function generateChanges(dataset: Dataset, count: number, seed: number, mix: ChangeMix = DEFAULT_MIX): ChangeEvent[] {
  const rng = new Rng(dataset.shape.seed, "changes", seed);
  const objects = dataset.objects().filter((object) => dataset.baseCount(object) > 0);
  const total = objects.reduce((sum, object) => sum + dataset.baseCount(object), 0);
  const changes: ChangeEvent[] = [];
  for (let i = 0; i < count && objects.length > 0; i++) {
    const object = pickWeighted(objects, (o) => dataset.baseCount(o) / total, rng);
    const roll = rng.next() * (mix.update + mix.create + mix.delete);
    if (roll < mix.create) {
      changes.push({ kind: "created", record: dataset.create(object, dataset.synthesize(object, rng)) });
      continue;
    }
    const target = dataset.pickLive(object, rng);
    if (!target) continue;
    if (roll < mix.create + mix.update) {
      const own = dataset.edit(target, rng);
      if (own) {
        const edited = dataset.update(object, target.id, own);
        if (edited) changes.push({ kind: "updated", record: edited });
        continue;
      }
      const fresh = dataset.synthesize(object, rng);
      // A realistic edit touches a few fields, not the whole record.
      const keys = Object.keys(fresh);
      const patch: Record<string, unknown> = {};
      for (let k = 0; k < Math.min(2, keys.length); k++) {
        const field = rng.pick(keys);
        patch[field] = fresh[field];
      }
      const updated = dataset.update(object, target.id, patch);
      if (updated) changes.push({ kind: "updated", record: updated });
    } else {
      const deleted = dataset.delete(object, target.id);
      if (deleted) changes.push({ kind: "deleted", record: deleted });
    }
  }
  return changes;
}

function pickWeighted<T>(items: T[], weight: (item: T) => number, rng: Rng): T {
  let roll = rng.next();
  for (const item of items) {
    roll -= weight(item);
    if (roll < 0) return item;
  }
  return items[items.length - 1];
}
