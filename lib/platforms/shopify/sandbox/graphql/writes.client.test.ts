// Customer and product writes on the GraphQL Admin API emulator, judged by Shopify's own client,
// @shopify/admin-api-client (2.0.0), over real HTTP as graphql.client.test.ts judges the reads:
// customerCreate, customerUpdate, productCreate and productUpdate answer their payloads with the node
// and userErrors (nothing written when there are any), and what they write reads back through the
// client, the connection listings, the counts and the control API's ground truth; custom IDs
// (metafieldDefinitionCreate of type id, productByIdentifier) are unique among products.
import { createAdminApiClient, type AdminApiClient } from "@shopify/admin-api-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { controlClient } from "@/lib/sandbox/control-client";
import { SANDBOX_PLATFORMS } from "@/lib/sandbox/platforms";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";

// Response bodies are Shopify's JSON, read field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const SHOP = "write-shop";

describe("Shopify GraphQL emulator writes with @shopify/admin-api-client", () => {
  let sandbox: SandboxServer;
  let shopify: AdminApiClient;
  const control = controlClient(() => sandbox.url);
  const live = async (object: string) => ((await control(`/shopify/${SHOP}/ground-truth/${object}`, "GET")).records as Json[]).filter((r) => !r.deleted);
  const run = async (operation: string, variables: Json) => {
    const { data, errors } = await shopify.request(operation, { variables });
    expect(errors).toBeUndefined();
    return data as Json;
  };

  beforeAll(async () => {
    sandbox = await startSandboxServer({ platforms: SANDBOX_PLATFORMS });
    await control("", "POST", { platform: "shopify", id: SHOP, size: 300, seed: 4, rate_limited: false });
    const { access_token } = await control(`/shopify/${SHOP}/tokens`, "POST", {});
    shopify = createAdminApiClient({
      storeDomain: `${SHOP}.myshopify.com`,
      apiVersion: "2026-10",
      accessToken: access_token,
      customFetchApi: (url, init) => {
        const target = new URL(String(url));
        return fetch(`${sandbox.url}/shopify/${SHOP}${target.pathname}${target.search}`, init);
      },
    });
  });
  afterAll(() => sandbox?.stop());

  const CUSTOMER = "id legacyResourceId email firstName lastName phone note tags state numberOfOrders amountSpent { amount currencyCode } createdAt updatedAt";
  const CREATE_CUSTOMER = `mutation Create($input: CustomerInput!) { customerCreate(input: $input) { customer { ${CUSTOMER} } userErrors { field message } } }`;
  const UPDATE_CUSTOMER = `mutation Update($input: CustomerInput!) { customerUpdate(input: $input) { customer { ${CUSTOMER} } userErrors { field message } } }`;

  it("creates a customer: read back by id, listed, counted and in the ground truth; updates change only what they name", async () => {
    const before = (await live("customers")).length;
    const { customerCreate } = await run(CREATE_CUSTOMER, {
      input: { email: "Mere@Example.com", firstName: "Mere", lastName: "Tane", phone: "+6421555010", tags: ["vip"] },
    });
    expect(customerCreate.userErrors).toEqual([]);
    const customer = customerCreate.customer;
    expect(customer).toMatchObject({
      email: "mere@example.com",
      firstName: "Mere",
      lastName: "Tane",
      phone: "+6421555010",
      tags: ["vip"],
      numberOfOrders: "0",
      state: "DISABLED",
    });
    expect(customer.id).toBe(`gid://shopify/Customer/${customer.legacyResourceId}`);
    expect((await run(`query ($id: ID!) { customer(id: $id) { ${CUSTOMER} } }`, { id: customer.id })).customer).toEqual(customer);
    expect((await live("customers")).length).toBe(before + 1);
    const listed = await run(`{ customers(first: 5, reverse: true, sortKey: ID) { nodes { id } } }`, {});
    expect(listed.customers.nodes[0].id).toBe(customer.id);

    const { customerUpdate } = await run(UPDATE_CUSTOMER, { input: { id: customer.id, note: "Prefers email" } });
    expect(customerUpdate.userErrors).toEqual([]);
    expect(customerUpdate.customer).toMatchObject({ email: "mere@example.com", firstName: "Mere", note: "Prefers email" });
    expect(Date.parse(customerUpdate.customer.updatedAt)).toBeGreaterThanOrEqual(Date.parse(customer.updatedAt));
  });

  it("answers userErrors naming the field, and writes nothing: a taken or invalid email, an invalid phone, no name at all, an unknown id", async () => {
    const before = (await live("customers")).length;
    await run(CREATE_CUSTOMER, { input: { email: "taken@example.com", firstName: "First" } });
    const cases: [Json, Json][] = [
      [{ email: "TAKEN@example.com", firstName: "Second" }, [{ field: ["email"], message: "Email has already been taken" }]],
      [{ email: "not-an-email" }, [{ field: ["email"], message: "Email is invalid" }]],
      [{ phone: "555", firstName: "X" }, [{ field: ["phone"], message: "Phone is invalid" }]],
      [{ note: "nobody" }, [{ field: null, message: "Customer must have a name, phone number or email address" }]],
    ];
    for (const [input, userErrors] of cases) {
      const { customerCreate } = await run(CREATE_CUSTOMER, { input });
      expect(customerCreate, JSON.stringify(input)).toEqual({ customer: null, userErrors });
    }
    expect((await live("customers")).length).toBe(before + 1);
    expect((await run(UPDATE_CUSTOMER, { input: { id: "gid://shopify/Customer/1", note: "x" } })).customerUpdate).toEqual({
      customer: null,
      userErrors: [{ field: ["id"], message: "Customer does not exist" }],
    });
  });

  it("creates a product with its default variant, updates it, and refuses a blank title", async () => {
    const PRODUCT = "id legacyResourceId title vendor productType status tags publishedAt variants(first: 5) { nodes { id title price sku } }";
    const before = (await live("products")).length;
    const created = (
      await run(`mutation ($product: ProductCreateInput!) { productCreate(product: $product) { product { ${PRODUCT} } userErrors { field message } } }`, {
        product: { title: "Harakeke Tote", vendor: "Kete Co", productType: "Bags", status: "DRAFT", tags: ["woven"] },
      })
    ).productCreate;
    expect(created.userErrors).toEqual([]);
    expect(created.product).toMatchObject({
      title: "Harakeke Tote",
      vendor: "Kete Co",
      productType: "Bags",
      status: "DRAFT",
      tags: ["woven"],
      publishedAt: null,
    });
    expect(created.product.variants.nodes).toEqual([expect.objectContaining({ title: "Default Title", price: "0.00" })]);
    expect((await live("products")).length).toBe(before + 1);

    const updated = (
      await run(`mutation ($product: ProductUpdateInput!) { productUpdate(product: $product) { product { ${PRODUCT} } userErrors { field message } } }`, {
        product: { id: created.product.id, status: "ACTIVE", title: "Harakeke Tote Bag" },
      })
    ).productUpdate;
    expect(updated.product).toMatchObject({ title: "Harakeke Tote Bag", vendor: "Kete Co", status: "ACTIVE", publishedAt: expect.any(String) });

    const blank = (
      await run(`mutation ($product: ProductCreateInput!) { productCreate(product: $product) { product { id } userErrors { field message } } }`, {
        product: { title: " " },
      })
    ).productCreate;
    expect(blank).toEqual({ product: null, userErrors: [{ field: ["title"], message: "Title can't be blank" }] });
    expect((await live("products")).length).toBe(before + 1);
  });

  it("keeps custom IDs unique: an id definition, a product created with its custom ID, found by it, and a second product with it refused", async () => {
    const DEFINE = `mutation Define($definition: MetafieldDefinitionInput!) {
      metafieldDefinitionCreate(definition: $definition) { createdDefinition { id namespace key type { name } } userErrors { field message code } }
    }`;
    const definition = { name: "Write key", namespace: "tributary", key: "write_key", type: "id", ownerType: "PRODUCT" };
    const created = await run(DEFINE, { definition });
    expect(created.metafieldDefinitionCreate).toMatchObject({
      createdDefinition: { namespace: "tributary", key: "write_key", type: { name: "id" } },
      userErrors: [],
    });
    expect((await run(DEFINE, { definition })).metafieldDefinitionCreate.userErrors).toEqual([
      { field: ["definition", "key"], message: expect.stringContaining("Key is in use"), code: "TAKEN" },
    ]);

    const CREATE = `mutation Create($product: ProductCreateInput!) { productCreate(product: $product) { product { id title } userErrors { field message } } }`;
    const BY_ID = `query Find($identifier: ProductIdentifierInput!) { productByIdentifier(identifier: $identifier) { id title } }`;
    const customId = { namespace: "tributary", key: "write_key", value: "k-2f9a" };
    expect((await run(BY_ID, { identifier: { customId } })).productByIdentifier).toBeNull();
    const metafields = [{ namespace: "tributary", key: "write_key", type: "id", value: "k-2f9a" }];
    const first = (await run(CREATE, { product: { title: "Kawakawa balm", metafields } })).productCreate;
    expect(first.userErrors).toEqual([]);
    expect((await run(BY_ID, { identifier: { customId } })).productByIdentifier).toEqual(first.product);
    const before = (await live("products")).length;
    const second = (await run(CREATE, { product: { title: "Kawakawa balm", metafields } })).productCreate;
    expect(second).toEqual({ product: null, userErrors: [{ field: ["metafields", "0", "value"], message: expect.stringContaining("already assigned") }] });
    expect((await live("products")).length).toBe(before);

    // Without an id definition a custom-id lookup is an error, as Shopify answers it.
    const { errors } = await shopify.request(BY_ID, { variables: { identifier: { customId: { namespace: "other", key: "sku_key", value: "x" } } } });
    expect(errors?.graphQLErrors?.[0]?.message).toContain("Metafield definition of type 'id' is required");
  });
});
