// The ticketing sandbox's objects, shaped like Zendesk Support API v2 resources
// (https://developer.zendesk.com/api-reference/ticketing/, as documented in 2024–2025).
// `build` returns the resource's own fields; ids and timestamps are added when rendering
// (zendeskRecordJson in wire.ts), so records changed through the control API render the same way.
//
// Roles and references are arithmetic on indexes so a ticket can name an agent without building
// users: every tenth user (index % 10 === 9) is an agent, the rest are end users.
import type { BuildInput, ObjectDefinition } from "@/lib/sandbox/dataset";
import type { Rng } from "@/lib/sandbox/random";

/** Real Zendesk ids are plain integers; tickets are small (35436), users and organizations large. */
export const ID_BASE = {
  tickets: 35_000,
  organizations: 360_000_000_000,
  users: 380_000_000_000,
} as const;

const AGENT_EVERY = 10;
/** The help desk's one brand. */
const BRAND_ID = 360_000_001;

const COMPANY_PREFIXES = ["Blue", "North", "Bright", "Summit", "Harbor", "Cedar", "Iron", "Silver", "Maple", "Pioneer", "Atlas", "Nimbus"];
const COMPANY_SUFFIXES = ["Logistics", "Foods", "Labs", "Outfitters", "Health", "Studios", "Energy", "Retail", "Partners", "Software", "Travel", "Media"];
const COMPANY_FORMS = ["Inc.", "LLC", "Ltd", "GmbH", "Co.", "Group"];
const FIRST_NAMES = [
  "Ana",
  "Ben",
  "Chloé",
  "David",
  "Emma",
  "Farid",
  "Grace",
  "Hiro",
  "Ines",
  "Jonas",
  "Kofi",
  "Lena",
  "Mateo",
  "Nora",
  "Omar",
  "Priya",
  "Quinn",
  "Rosa",
  "Sven",
  "Tara",
  "Uma",
  "Victor",
  "Wen",
  "Yusuf",
  "Zoe",
];
const LAST_NAMES = [
  "Silva",
  "Müller",
  "Nguyen",
  "Okafor",
  "Rossi",
  "Kowalski",
  "Tanaka",
  "García",
  "Johansson",
  "Dubois",
  "Patel",
  "Smith",
  "Cohen",
  "Hansen",
  "Moreau",
  "Ali",
];
const TIME_ZONES = ["Eastern Time (US & Canada)", "Pacific Time (US & Canada)", "London", "Berlin", "Paris", "Tokyo", "Sydney", "Mumbai", "Sao Paulo"];
const LOCALES = ["en-US", "en-GB", "de", "fr", "es", "pt-BR", "ja"];

const SUBJECTS = [
  "Cannot log in to my account",
  "Refund for order #{n}",
  "Invoice {n} shows the wrong amount",
  "Package {n} has not arrived",
  "Password reset email never arrives",
  "App crashes when exporting a report",
  "How do I add a teammate?",
  "Charged twice for subscription",
  "Feature request: dark mode",
  "Error 500 when saving settings",
  "Change billing address",
  "Item arrived damaged",
  "Cancel my plan",
  "API returns 429 too often",
  "Sync with calendar stopped working",
];
const OPENINGS = ["Hello,", "Hi there,", "Good morning,", "Hi support team,", "Hello again,"];
const PROBLEMS = [
  "since yesterday the page only shows a spinner",
  "I followed the help center article but nothing changed",
  "this happens on both Chrome and Safari",
  "my colleague sees the same problem",
  "the error appeared right after the last update",
  "I already tried clearing the cache",
  "the order confirmation says it shipped last week",
  "we need this fixed before the end of the month",
];
const CLOSINGS = ["Thanks in advance.", "Best regards.", "Could you take a look?", "Thank you!", "Any help is appreciated."];
export const AGENT_REPLIES = [
  "Thanks for reaching out. I have escalated this to our engineering team.",
  "Could you send us a screenshot of the error?",
  "I have issued the refund; it should appear within 5 business days.",
  "We found the cause and deployed a fix. Can you try again?",
  "I have updated your account settings as requested.",
  "Please check the link in the email we just sent you.",
];
export const REQUESTER_REPLIES = [
  "Thanks, that worked.",
  "It is still happening, unfortunately.",
  "Here is the screenshot you asked for.",
  "Any update on this?",
  "Great, you can close the ticket.",
];
export const INTERNAL_NOTES = [
  "Customer is on the legacy plan; check the billing migration.",
  "Reproduced on staging. Linked to the known incident.",
  "VIP account, please prioritise.",
  "Waiting on the warehouse to confirm the shipment.",
];

/** A ticket's statuses (Zendesk's built-in ones); "closed" is final: a closed ticket takes no more updates. */
export const TICKET_STATUSES = ["new", "open", "pending", "hold", "solved", "closed"] as const;
export const TICKET_PRIORITIES = ["low", "normal", "high", "urgent"] as const;
export const TICKET_TYPES = ["question", "incident", "problem", "task"] as const;

const STATUSES = TICKET_STATUSES;
const STATUS_WEIGHTS = [0.05, 0.15, 0.1, 0.03, 0.2, 0.47];
const PRIORITIES = ["low", "normal", "normal", "high", "urgent", null] as const;
const TYPES = ["question", "incident", "problem", "task", null] as const;
const CHANNELS = ["email", "web", "api", "chat", "mobile"] as const;
const TAGS = ["billing", "login", "shipping", "refund", "bug", "feature_request", "vip", "mobile", "api", "urgent_followup"];

function pickWeighted<T>(rng: Rng, items: readonly T[], weights: readonly number[]): T {
  let roll = rng.next();
  for (let i = 0; i < items.length; i++) {
    roll -= weights[i];
    if (roll < 0) return items[i];
  }
  return items[items.length - 1];
}

function pickTags(rng: Rng, max: number): string[] {
  const tags = new Set<string>();
  for (let n = rng.int(0, max); n > 0; n--) tags.add(rng.pick(TAGS));
  return [...tags].sort();
}

function slug(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[^A-Za-z0-9]+/g, "")
    .toLowerCase();
}

/** The generated user whose email this would be (their emails end in index + 1); null for any other address. */
export function generatedUserIdFromEmail(email: string): number | null {
  const number = /(\d{1,12})@[^@]+$/.exec(email)?.[1];
  return number === undefined ? null : ID_BASE.users + Number(number);
}

export function isAgentUserId(id: number): boolean {
  return (id - ID_BASE.users - 1) % AGENT_EVERY === AGENT_EVERY - 1;
}

/** An end user near a random user: an agent's neighbour (index − 1) is never an agent. */
function endUserId(input: BuildInput): number | null {
  const id = input.ref("users");
  if (id === 0) return null; // an account too small to have users
  return isAgentUserId(id) ? id - 1 : id;
}

/**
 * The agent closing the block of ten before a random user (index ≡ 9 mod 10 and below it, so it exists
 * whatever the account's size); null when the random user is among the first ten.
 */
function agentId(input: BuildInput): number | null {
  const id = input.ref("users");
  if (id === 0) return null;
  const index = id - ID_BASE.users - 1;
  const agentIndex = Math.floor(index / AGENT_EVERY) * AGENT_EVERY - 1;
  return agentIndex >= 0 ? ID_BASE.users + agentIndex + 1 : null;
}

export const ZENDESK_OBJECTS: ObjectDefinition[] = [
  {
    name: "organizations",
    weight: 3,
    idBase: ID_BASE.organizations,
    build({ rng, index }) {
      const name = `${rng.pick(COMPANY_PREFIXES)} ${rng.pick(COMPANY_SUFFIXES)} ${rng.pick(COMPANY_FORMS)}`;
      return {
        name: `${name} ${index + 1}`,
        shared_tickets: rng.chance(0.3),
        shared_comments: rng.chance(0.2),
        external_id: rng.chance(0.5) ? `crm-${100000 + index}` : null,
        domain_names: [`${slug(name)}${index + 1}.example.com`],
        details: rng.chance(0.4) ? `${rng.pick(["Enterprise", "Growth", "Starter"])} customer` : "",
        notes: "",
        group_id: null,
        tags: pickTags(rng, 2),
        organization_fields: {},
      };
    },
  },
  {
    name: "users",
    weight: 30,
    idBase: ID_BASE.users,
    build({ rng, index, ref }) {
      const first = rng.pick(FIRST_NAMES);
      const last = rng.pick(LAST_NAMES);
      const agent = index % AGENT_EVERY === AGENT_EVERY - 1;
      return {
        name: `${first} ${last}`,
        email: `${slug(first)}.${slug(last)}${index + 1}@${agent ? "support.example.com" : "example.org"}`,
        role: agent ? "agent" : "end-user",
        organization_id: agent || rng.chance(0.2) ? null : ref("organizations") || null,
        active: true,
        verified: rng.chance(0.9),
        suspended: false,
        locale: rng.pick(LOCALES),
        time_zone: rng.pick(TIME_ZONES),
        phone: rng.chance(0.3) ? `+1 555 ${String(rng.int(1000000, 9999999))}` : null,
        shared: false,
        external_id: null,
        tags: agent ? [] : pickTags(rng, 1),
        user_fields: {},
      };
    },
  },
  {
    name: "tickets",
    weight: 67,
    idBase: ID_BASE.tickets,
    build(input) {
      const { rng } = input;
      const subject = rng.pick(SUBJECTS).replace("{n}", String(rng.int(1000, 99999)));
      const description = `${rng.pick(OPENINGS)} ${subject.replace(/[?.!]$/, "").toLowerCase()}: ${rng.pick(PROBLEMS)}. ${rng.pick(CLOSINGS)}`;
      const status = pickWeighted(rng, STATUSES, STATUS_WEIGHTS);
      const requester = endUserId(input);
      const assignee = status === "new" ? null : agentId(input);
      const channel = rng.pick(CHANNELS);
      return {
        external_id: null,
        via: { channel, source: { from: {}, to: {}, rel: null } },
        type: rng.pick(TYPES),
        subject,
        raw_subject: subject,
        description,
        priority: rng.pick(PRIORITIES),
        status,
        recipient: channel === "email" ? "support@helpdesk.example.com" : null,
        requester_id: requester,
        submitter_id: rng.chance(0.9) || assignee === null ? requester : assignee,
        assignee_id: assignee,
        organization_id: rng.chance(0.7) ? input.ref("organizations") || null : null,
        group_id: null,
        collaborator_ids: [],
        follower_ids: [],
        email_cc_ids: [],
        problem_id: null,
        has_incidents: false,
        is_public: true,
        due_at: null,
        tags: pickTags(rng, 3),
        custom_fields: [],
        satisfaction_rating: null,
        sharing_agreement_ids: [],
        followup_ids: [],
        brand_id: BRAND_ID,
        allow_channelback: false,
        allow_attachments: true,
        from_messaging_channel: false,
      };
    },
  },
];

/**
 * A ticket created through the API before the request's fields are applied: the fields build() sets to
 * constants, with Zendesk's defaults for the rest (status "new", no priority or type, via the API).
 */
export function newTicketData(): Record<string, unknown> {
  return {
    external_id: null,
    via: { channel: "api", source: { from: {}, to: {}, rel: null } },
    type: null,
    subject: "",
    raw_subject: "",
    description: "",
    priority: null,
    status: "new",
    recipient: null,
    requester_id: null,
    submitter_id: null,
    assignee_id: null,
    organization_id: null,
    group_id: null,
    collaborator_ids: [],
    follower_ids: [],
    email_cc_ids: [],
    problem_id: null,
    has_incidents: false,
    is_public: true,
    due_at: null,
    tags: [],
    custom_fields: [],
    satisfaction_rating: null,
    sharing_agreement_ids: [],
    followup_ids: [],
    brand_id: BRAND_ID,
    allow_channelback: false,
    allow_attachments: true,
    from_messaging_channel: false,
  };
}

/** An end user Zendesk creates for a ticket's new requester ({ name, email }), shaped like generated users. */
export function newEndUserData(name: string, email: string): Record<string, unknown> {
  return {
    name,
    email,
    role: "end-user",
    organization_id: null,
    active: true,
    verified: false,
    suspended: false,
    locale: "en-US",
    time_zone: "Eastern Time (US & Canada)",
    phone: null,
    shared: false,
    external_id: null,
    tags: [],
    user_fields: {},
  };
}
