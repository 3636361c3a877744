// Xero's webhooks (developer.xero.com › Webhooks; Xero-OpenAPI xero-webhooks.yaml 16.1.0): a POST of
// {events:[{resourceUrl, resourceId, tenantId, tenantType, eventCategory, eventType, eventDateUtc}],
// firstEventSequence, lastEventSequence, entropy}, signed with x-xero-signature = base64
// HMAC-SHA256 of the raw body with the webhook key. Xero sends CONTACT and INVOICE events (CREATE,
// UPDATE) only: bank transactions, payments and accounts change silently, and a deletion is an
// UPDATE (the invoice is DELETED or the contact ARCHIVED, not gone). Before the first event Xero
// checks the URL with "intent to receive": an empty notification signed correctly, answered 200, and
// one signed wrongly, answered 401.
import { createHmac, randomBytes } from "node:crypto";
import type { StoredRecord } from "@/lib/sandbox/dataset";
import { xeroGuid } from "./ids";
import { RESOURCE_OF_OBJECT } from "./resources";

const CATEGORY: Record<string, "CONTACT" | "INVOICE"> = { Supplier: "CONTACT", Customer: "CONTACT", Bill: "INVOICE", Invoice: "INVOICE" };
export const XERO_API_URL = "https://api.xero.com/api.xro/2.0";

/** Xero numbers events per app; a change keeps its number for every webhook it goes to. */
let lastSequence = 0;
const sequences = new WeakMap<StoredRecord, number>();

const entropy = () => {
  const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  return [...randomBytes(20)].map((b) => letters[b % 26]).join("");
};

const sign = (body: string, secret: string) => ({ "x-xero-signature": createHmac("sha256", secret).update(body, "utf8").digest("base64") });

export function xeroWebhook(
  change: { kind: "created" | "updated" | "deleted"; record: StoredRecord },
  secret: string,
  tenantId: string,
): { headers: Record<string, string>; body: string } | null {
  const { record } = change;
  const category = CATEGORY[record.object];
  if (!category) return null;
  let sequence = sequences.get(record);
  if (sequence === undefined) {
    sequence = ++lastSequence;
    sequences.set(record, sequence);
  }
  const resource = RESOURCE_OF_OBJECT.get(record.object)!;
  const id = xeroGuid(record.object, record.id);
  const body = JSON.stringify({
    events: [
      {
        resourceUrl: `${XERO_API_URL}/${resource.name}/${id}`,
        resourceId: id,
        eventDateUtc: new Date(record.updatedAt).toISOString().slice(0, 23),
        eventType: change.kind === "created" ? "CREATE" : "UPDATE",
        eventCategory: category,
        tenantId,
        tenantType: "ORGANISATION",
      },
    ],
    firstEventSequence: sequence,
    lastEventSequence: sequence,
    entropy: entropy(),
  });
  return { body, headers: sign(body, secret) };
}

export function xeroIntentToReceive(secret: string) {
  const body = JSON.stringify({ events: [], firstEventSequence: 0, lastEventSequence: 0, entropy: entropy() });
  const wrong = createHmac("sha256", `${secret}-not`).update(body, "utf8").digest("base64");
  return { valid: { body, headers: sign(body, secret) }, invalid: { body, headers: { "x-xero-signature": wrong } } };
}
