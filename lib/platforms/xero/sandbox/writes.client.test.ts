// Writes on the Xero emulator, judged by xero-node (XeroClient.accountingApi) over real HTTP as
// client.test.ts judges the reads: createContacts/updateContact, createInvoices/updateInvoice for sales
// invoices (ACCREC) and bills (ACCPAY), read back through getContact/getInvoice and the where filters
// the connector lists by; a new contact is neither customer nor supplier until a document names it;
// ValidationExceptions name what was refused and write nothing; Idempotency-Key replays the first answer.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { XeroClient } from "xero-node";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import { sdkRejection, xeroNodeClient } from "./client.testing";
import { xero } from "./platform";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const TENANT = "5b2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f";

describe("Xero emulator writes with xero-node", () => {
  let now = Date.UTC(2026, 10, 1, 12);
  let sandbox: SandboxServer;
  let client: XeroClient;
  const api = () => client.accountingApi;
  /** The refusal a request must meet, with Xero's body read field by field. */
  const refused = async (promise: Promise<unknown>) =>
    sdkRejection(
      await promise.then(
        () => expect.unreachable("the request succeeded"),
        (error: unknown) => error,
      ),
    ) as { statusCode: number; body: Json };

  beforeAll(async () => {
    sandbox = await startSandboxServer({ platforms: [xero], clock: () => now });
    const created = await fetch(`${sandbox.url}/control/accounts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ platform: "xero", id: TENANT, size: 3000, seed: 5, rate_limited: false }),
    });
    expect(created.status).toBe(201);
    client = await xeroNodeClient(sandbox.url, [TENANT]);
    now += 60_000;
  });
  afterAll(() => sandbox?.stop());

  const revenueAccount = async () => {
    const { body } = await api().getAccounts(TENANT);
    return body.accounts!.find((account) => String(account._class) === "REVENUE") ?? body.accounts![0];
  };

  it("creates a contact that is neither customer nor supplier until an invoice names it, then lists it as a customer", async () => {
    const { body } = await api().createContacts(TENANT, { contacts: [{ name: "Kahikatea Joinery", emailAddress: "office@kahikatea.example" }] });
    const contact = body.contacts![0];
    expect(contact).toMatchObject({ name: "Kahikatea Joinery", emailAddress: "office@kahikatea.example", isCustomer: false, isSupplier: false });
    expect(String(contact.contactStatus)).toBe("ACTIVE");
    const customers = async () =>
      (await api().getContacts(TENANT, undefined, "IsCustomer==true", undefined, undefined, 1, true, undefined, undefined, 1000)).body.contacts!;
    expect((await customers()).some((c) => c.contactID === contact.contactID)).toBe(false);

    const account = await revenueAccount();
    now += 60_000;
    const { body: made } = await api().createInvoices(TENANT, {
      invoices: [
        {
          type: "ACCREC" as Json,
          contact: { contactID: contact.contactID },
          date: "2026-11-20",
          status: "AUTHORISED" as Json,
          lineItems: [{ description: "Cabinetry", quantity: 2, unitAmount: 450, accountCode: account.code }],
        },
      ],
    });
    const invoice = made.invoices![0];
    expect(invoice).toMatchObject({ total: 900, amountDue: 900, subTotal: 900, invoiceNumber: expect.stringMatching(/^INV-/) });
    expect(String(invoice.status)).toBe("AUTHORISED");
    expect(invoice.lineItems![0]).toMatchObject({ lineAmount: 900, accountCode: account.code, accountID: account.accountID });
    expect((await api().getInvoice(TENANT, invoice.invoiceID!)).body.invoices![0]).toMatchObject({ total: 900, date: new Date(Date.UTC(2026, 10, 20)) });
    expect((await api().getContact(TENANT, contact.contactID!)).body.contacts![0]).toMatchObject({ isCustomer: true, isSupplier: false });
    expect((await customers()).some((c) => c.contactID === contact.contactID)).toBe(true);
  });

  it("updates a contact and an invoice (lines replaced, totals follow), voids an approved invoice and deletes a draft bill", async () => {
    const { body } = await api().createContacts(TENANT, { contacts: [{ name: "Pukeko Plumbing" }] });
    const contact = body.contacts![0];
    now += 60_000;
    const renamed = (await api().updateContact(TENANT, contact.contactID!, { contacts: [{ name: "Pukeko Plumbing Ltd" }] })).body.contacts![0];
    expect(renamed).toMatchObject({ name: "Pukeko Plumbing Ltd", contactID: contact.contactID });

    const bill = (
      await api().createInvoices(TENANT, {
        invoices: [{ type: "ACCPAY" as Json, contact: { contactID: contact.contactID }, lineItems: [{ description: "Pipes", lineAmount: 120.5 }] }],
      })
    ).body.invoices![0];
    expect(String(bill.status)).toBe("DRAFT");
    expect((await api().getContact(TENANT, contact.contactID!)).body.contacts![0]).toMatchObject({ isSupplier: true });
    const relined = (await api().updateInvoice(TENANT, bill.invoiceID!, { invoices: [{ lineItems: [{ description: "Pipes", quantity: 3, unitAmount: 50 }] }] }))
      .body.invoices![0];
    expect(relined).toMatchObject({ total: 150, amountDue: 150 });
    const deleted = (await api().updateInvoice(TENANT, bill.invoiceID!, { invoices: [{ status: "DELETED" as Json }] })).body.invoices![0];
    expect(String(deleted.status)).toBe("DELETED");

    const account = await revenueAccount();
    const invoice = (
      await api().createInvoices(TENANT, {
        invoices: [
          {
            type: "ACCREC" as Json,
            contact: { contactID: contact.contactID },
            status: "AUTHORISED" as Json,
            lineItems: [{ lineAmount: 80, accountCode: account.code }],
          },
        ],
      })
    ).body.invoices![0];
    const cannotDelete = await refused(api().updateInvoice(TENANT, invoice.invoiceID!, { invoices: [{ status: "DELETED" as Json }] }));
    expect(cannotDelete.statusCode).toBe(400);
    expect(cannotDelete.body.Elements[0].ValidationErrors[0].Message).toBe("Invoice not of valid status for modification");
    const voided = (await api().updateInvoice(TENANT, invoice.invoiceID!, { invoices: [{ status: "VOIDED" as Json }] })).body.invoices![0];
    expect(voided).toMatchObject({ amountDue: 0 });
    expect(String(voided.status)).toBe("VOIDED");
    const frozen = await refused(api().updateInvoice(TENANT, invoice.invoiceID!, { invoices: [{ reference: "late" }] }));
    expect(frozen.body.Elements[0].ValidationErrors[0].Message).toContain("cannot be edited");
  });

  it("refuses a taken name, a missing contact, an approved line without an account and a wrong line total, writing nothing", async () => {
    const taken = (await api().getContacts(TENANT, undefined, undefined, undefined, undefined, 1)).body.contacts![0];
    const before = (await api().getContacts(TENANT, undefined, undefined, undefined, undefined, 1, true, undefined, undefined, 1000)).body.pagination;
    const duplicate = await refused(api().createContacts(TENANT, { contacts: [{ name: taken.name }] }));
    expect(duplicate).toMatchObject({ statusCode: 400, body: { ErrorNumber: 10, Type: "ValidationException" } });
    expect(duplicate.body.Elements[0]).toMatchObject({
      Name: taken.name,
      ValidationErrors: [{ Message: expect.stringContaining("must be unique across all active contacts") }],
    });
    const cases: [Json, string][] = [
      [{ type: "ACCREC", lineItems: [{ lineAmount: 5 }] }, "A Contact must be specified"],
      [{ type: "ACCREC", contact: { contactID: taken.contactID }, status: "AUTHORISED", lineItems: [{ lineAmount: 5 }] }, "Account code must be specified"],
      [
        { type: "ACCREC", contact: { contactID: taken.contactID }, lineItems: [{ quantity: 2, unitAmount: 3, lineAmount: 7 }] },
        "does not match the expected line total 6",
      ],
    ];
    for (const [invoice, message] of cases) {
      const answer = await refused(api().createInvoices(TENANT, { invoices: [invoice] }));
      expect(answer.body.Elements[0].ValidationErrors.map((e: Json) => e.Message).join(" "), JSON.stringify(invoice)).toContain(message);
    }
    const after = (await api().getContacts(TENANT, undefined, undefined, undefined, undefined, 1, true, undefined, undefined, 1000)).body.pagination;
    expect(after).toEqual(before);
  });

  it("answers a repeated Idempotency-Key with the first answer and writes nothing again", async () => {
    const first = (await api().createContacts(TENANT, { contacts: [{ name: "Tauhou Transport" }] }, true, "retry-7781")).body.contacts![0];
    now += 60_000;
    const again = (await api().createContacts(TENANT, { contacts: [{ name: "Something else" }] }, true, "retry-7781")).body.contacts![0];
    expect(again.contactID).toBe(first.contactID);
    const tooLong = await refused(api().createContacts(TENANT, { contacts: [{ name: "Other" }] }, true, "x".repeat(129)));
    expect(tooLong.statusCode).toBe(400);
  });

  it("records spend money from a bank account and pays an invoice in part, then in full (PAID), and takes a payment back by deleting it", async () => {
    const { body: chart } = await api().getAccounts(TENANT);
    const bank = chart.accounts!.find((account) => String(account.type) === "BANK")!;
    const expense = chart.accounts!.find((account) => String(account.type) !== "BANK")!;
    const supplier = (await api().createContacts(TENANT, { contacts: [{ name: "Weta Couriers" }] })).body.contacts![0];
    const spent = (
      await api().createBankTransactions(TENANT, {
        bankTransactions: [
          {
            type: "SPEND" as Json,
            contact: { contactID: supplier.contactID },
            bankAccount: { accountID: bank.accountID },
            date: "2026-11-22",
            lineItems: [{ description: "Courier", quantity: 3, unitAmount: 12.5, accountCode: expense.code }],
          },
        ],
      })
    ).body.bankTransactions![0];
    expect(spent).toMatchObject({ total: 37.5, bankAccount: { accountID: bank.accountID }, contact: { contactID: supplier.contactID } });
    expect((await api().getBankTransaction(TENANT, spent.bankTransactionID!)).body.bankTransactions![0]).toMatchObject({ total: 37.5 });
    const noContact = await refused(
      api().createBankTransactions(TENANT, {
        bankTransactions: [{ type: "SPEND" as Json, bankAccount: { accountID: bank.accountID }, lineItems: [{ lineAmount: 1, accountCode: expense.code }] }],
      }),
    );
    expect(noContact.body.Elements[0].ValidationErrors[0].Message).toBe("A Contact must be specified for this type of transaction");

    const customer = (await api().createContacts(TENANT, { contacts: [{ name: "Huia Studios" }] })).body.contacts![0];
    const invoice = (
      await api().createInvoices(TENANT, {
        invoices: [
          {
            type: "ACCREC" as Json,
            contact: { contactID: customer.contactID },
            status: "AUTHORISED" as Json,
            lineItems: [{ lineAmount: 200, accountCode: expense.code }],
          },
        ],
      })
    ).body.invoices![0];
    now += 60_000;
    const part = (
      await api().createPayment(TENANT, { invoice: { invoiceID: invoice.invoiceID }, account: { accountID: bank.accountID }, amount: 50, date: "2026-11-25" })
    ).body.payments![0];
    expect(part).toMatchObject({ amount: 50, invoice: { invoiceID: invoice.invoiceID } });
    expect(String(part.paymentType)).toBe("ACCRECPAYMENT");
    expect((await api().getInvoice(TENANT, invoice.invoiceID!)).body.invoices![0]).toMatchObject({ amountPaid: 50, amountDue: 150 });
    const tooMuch = await refused(
      api().createPayment(TENANT, { invoice: { invoiceID: invoice.invoiceID }, account: { accountID: bank.accountID }, amount: 151 }),
    );
    expect(tooMuch.body.Elements[0].ValidationErrors[0].Message).toBe("Payment amount exceeds the amount outstanding on this document");
    const notBank = await refused(
      api().createPayment(TENANT, { invoice: { invoiceID: invoice.invoiceID }, account: { accountID: expense.accountID }, amount: 1 }),
    );
    expect(notBank.body.Elements[0].ValidationErrors[0].Message).toBe("Account type is invalid for making a payment to/from");
    const rest = (await api().createPayment(TENANT, { invoice: { invoiceID: invoice.invoiceID }, account: { accountID: bank.accountID }, amount: 150 })).body
      .payments![0];
    const paid = (await api().getInvoice(TENANT, invoice.invoiceID!)).body.invoices![0];
    expect(paid).toMatchObject({ amountPaid: 200, amountDue: 0 });
    expect(String(paid.status)).toBe("PAID");
    const deleted = (await api().deletePayment(TENANT, rest.paymentID!, { status: "DELETED" })).body.payments![0];
    expect(String(deleted.status)).toBe("DELETED");
    const reopened = (await api().getInvoice(TENANT, invoice.invoiceID!)).body.invoices![0];
    expect(reopened).toMatchObject({ amountPaid: 50, amountDue: 150 });
    expect(String(reopened.status)).toBe("AUTHORISED");
  });
});
