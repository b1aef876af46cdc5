@orders
Feature: Writing off the unpaid invoices of a canceled subscription
  When an order cancels a subscription and asks for the write-off, every issued invoice of the
  subscription that is not fully paid gets a credit memo that clears it, and the order reports
  what it did. Rules from the document "Cancel subscriptions and write off all unpaid invoices".

  Background:
    Given the tenant has Invoice Settlement enabled
    And today is 2026-03-01
    And the customer "Acme" subscribes to "Basic Monthly" from 2026-03-01

  @WO-UNPAID-INVOICES-CLEARED
  Rule: Each unpaid issued invoice of the subscription is cleared by a posted credit memo with the reason code "Write-off"
    Source: "Cancel subscriptions and write off all unpaid invoices", introduction and "... using the REST API"
    Decision (MUST): the reason code is always "Write-off"; it cannot be chosen (Zuora's
    cancel-and-write-off tutorial: it "cannot be overridden").
    Decision (MUST): an order that also names a reason code for its credit memos (the billing
    option "creditMemoReasonCode" of Zuora's order request) is carried out, and its write-off
    credit memos still carry "Write-off". The tutorial's REST section (the "writeOff" field) says
    the write-off's reason code cannot be overridden; Zuora documents no refusal of the two together.

    Example: Two unpaid invoices
      Given "Acme" has been issued an invoice of 30.00 USD on 2026-03-01
      And "Acme" has been issued an invoice of 30.00 USD on 2026-04-01
      When "Acme" cancels the "Basic Monthly" subscription as of 2026-04-16 and writes off unpaid invoices
      Then the invoice of "Acme" dated 2026-03-01 was written off by a credit memo of 30.00 USD with reason code "Write-off"
      And the invoice of "Acme" dated 2026-04-01 was written off by a credit memo of 30.00 USD with reason code "Write-off"
      And the invoice of "Acme" dated 2026-03-01 has a balance of 0.00 USD
      And the invoice of "Acme" dated 2026-04-01 has a balance of 0.00 USD

    Example: A fully paid invoice is left alone
      Given "Acme" has been issued an invoice of 30.00 USD on 2026-03-01
      And "Acme" has paid 30.00 USD of the invoice dated 2026-03-01
      And "Acme" has been issued an invoice of 30.00 USD on 2026-04-01
      When "Acme" cancels the "Basic Monthly" subscription as of 2026-04-16 and writes off unpaid invoices
      Then the order reports these write-offs:
        | invoice dated | amount    | status  |
        | 2026-04-01    | 30.00 USD | Success |

    Example: The order asks for another reason code for its credit memos
      Given "Acme" has been issued an invoice of 30.00 USD on 2026-03-01
      When "Acme" cancels the "Basic Monthly" subscription as of 2026-03-16 and writes off unpaid invoices, asking for the reason code "Correcting invoice error" on its credit memos
      Then the invoice of "Acme" dated 2026-03-01 was written off by a credit memo of 30.00 USD with reason code "Write-off"
      And the invoice of "Acme" dated 2026-03-01 has a balance of 0.00 USD

  @WO-ONLY-THIS-SUBSCRIPTION
  Rule: Only the invoices of the canceled subscription are written off; the customer's other subscriptions and other customers keep their balances
    Source: "Cancel subscriptions and write off all unpaid invoices", introduction (the invoices of the subscription being canceled)

    Example: The customer's other subscription is invoiced on its own
      Given the customer "Acme" subscribes to "Pro Monthly" from 2026-03-15
      And "Acme" has been issued an invoice of 30.00 USD on 2026-03-01
      And "Acme" has been issued an invoice of 100.00 USD on 2026-03-15
      When "Acme" cancels the "Basic Monthly" subscription as of 2026-03-16 and writes off unpaid invoices
      Then the order reports these write-offs:
        | invoice dated | status  |
        | 2026-03-01    | Success |
      And the invoice of "Acme" dated 2026-03-15 still has a balance of 100.00 USD

    Example: Another customer's unpaid invoice
      Given the customer "Globex" subscribes to "Basic Monthly" from 2026-03-01
      And "Acme" has been issued an invoice of 30.00 USD on 2026-03-01
      And "Globex" has been issued an invoice of 30.00 USD on 2026-03-01
      When "Acme" cancels the "Basic Monthly" subscription as of 2026-03-16 and writes off unpaid invoices
      Then the invoice of "Globex" dated 2026-03-01 still has a balance of 30.00 USD
      And "Globex" has no write-off credit memo

  @WO-WRITTEN-OFF-NOT-PAYABLE
  Rule: A written-off invoice takes no further payment
    Source: "Cancel subscriptions and write off all unpaid invoices", introduction (writing off stops the customer from paying further)
    Decision (MUST): the payment is refused by a business rule (Zuora refuses a payment larger
    than the invoice's balance), and the invoice keeps a balance of zero.
    Decision (MUST): a refusal proves the rule only when the customer could have paid. So, after
    the write-off, the same payment (same amount, same customer) is first made on the invoice of
    Acme's other subscription, which the write-off leaves unpaid (Zuora's "Create a payment"
    takes a payment on any invoice with a balance). If that payment is refused too, the refusal
    says nothing of written-off invoices and the example is errored, not passed.

    Scenario Outline: A payment of <paid> after the write-off
      Given the customer "Acme" subscribes to "Pro Monthly" from 2026-03-15
      And "Acme" has been issued an invoice of 30.00 USD on 2026-03-01
      And "Acme" has been issued an invoice of 100.00 USD on 2026-03-15
      And "Acme" has canceled the "Basic Monthly" subscription as of 2026-03-16, writing off unpaid invoices
      And "Acme" has paid <paid> of the invoice dated 2026-03-15
      When a payment of <paid> is collected on the invoice of "Acme" dated 2026-03-01
      Then the payment is refused because a business rule forbids it
      And the invoice of "Acme" dated 2026-03-01 has a balance of 0.00 USD

      Examples:
        | paid      |
        | 30.00 USD |
        | 0.01 USD  |

  @WO-PARTLY-PAID
  Rule: A partly paid invoice has only its remaining balance written off
    Source: "Cancel subscriptions and write off all unpaid invoices", introduction

    Scenario Outline: <paid> of 30.00 USD paid
      Given "Acme" has been issued an invoice of 30.00 USD on 2026-03-01
      And "Acme" has paid <paid> of the invoice dated 2026-03-01
      When "Acme" cancels the "Basic Monthly" subscription as of 2026-03-16 and writes off unpaid invoices
      Then the order wrote off <written off> of the invoice of "Acme" dated 2026-03-01
      And the invoice of "Acme" dated 2026-03-01 has a balance of 0.00 USD

      Examples:
        | paid      | written off |
        | 10.00 USD | 20.00 USD   |
        | 29.99 USD | 0.01 USD    |

  @WO-DRAFTS-NOT-WRITTEN-OFF
  Rule: Draft invoices are not written off
    Source: "Cancel subscriptions and write off all unpaid invoices", Prerequisites (invoices must be issued first)

    Example: One invoice is issued, the next is still a draft
      Given "Acme" has been issued an invoice of 30.00 USD on 2026-03-01
      And "Acme" has a draft invoice of 30.00 USD dated 2026-04-01
      When "Acme" cancels the "Basic Monthly" subscription as of 2026-04-16 and writes off unpaid invoices
      Then the order reports these write-offs:
        | invoice dated | status  |
        | 2026-03-01    | Success |
      And the invoice of "Acme" dated 2026-04-01 is still a draft with a balance of 30.00 USD

  @WO-REPORTED
  Rule: The order reports each write-off with the invoice number, the amount, its status and the credit memo number
    Source: "Cancel subscriptions and write off all unpaid invoices", "... using the REST API" (what the order reports of each write-off)

    Example: Two invoices written off
      Given "Acme" has been issued an invoice of 30.00 USD on 2026-03-01
      And "Acme" has been issued an invoice of 30.00 USD on 2026-04-01
      When "Acme" cancels the "Basic Monthly" subscription as of 2026-04-16 and writes off unpaid invoices
      Then the order reports these write-offs:
        | invoice dated | amount    | status  | credit memo |
        | 2026-03-01    | 30.00 USD | Success | yes         |
        | 2026-04-01    | 30.00 USD | Success | yes         |
      And each write-off names its invoice and its credit memo by their numbers

  @WO-NOTHING-UNPAID
  Rule: When nothing is unpaid, the cancellation succeeds and reports no write-off
    Source: "Cancel subscriptions and write off all unpaid invoices", "... using the REST API"
    Decision (MUST): Zuora's published answer to an order makes its list of write-offs optional
    (the writeOff field may be left out), so the kit cannot insist on an empty list. An answer
    without the list and an answer with an empty list both report that nothing was written off;
    an answer that lists any write-off does not.

    Example: Every invoice is paid
      Given "Acme" has been issued an invoice of 30.00 USD on 2026-03-01
      And "Acme" has paid 30.00 USD of the invoice dated 2026-03-01
      When "Acme" cancels the "Basic Monthly" subscription as of 2026-03-16 and writes off unpaid invoices
      Then the order is completed
      And the order reports no write-off
      And the "Basic Monthly" subscription of "Acme" is cancelled as of 2026-03-16

    Example: Nothing was ever invoiced
      When "Acme" cancels the "Basic Monthly" subscription as of 2026-03-16 and writes off unpaid invoices
      Then the order is completed
      And the order reports no write-off

  @WO-ONLY-WHEN-ASKED
  Rule: Unpaid invoices are written off only when the order asks for it
    Source: "Cancel subscriptions and write off all unpaid invoices", "... using the Zuora UI" (the write-off toggle)

    Example: The order does not ask for the write-off
      Given "Acme" has been issued an invoice of 30.00 USD on 2026-03-01
      When "Acme" cancels the "Basic Monthly" subscription as of 2026-03-16 without writing off unpaid invoices
      Then the order is completed
      And no invoice of "Acme" was written off
      And the invoice of "Acme" dated 2026-03-01 still has a balance of 30.00 USD

  @WO-FAILURE-REPORTED
  Rule: A write-off that fails for an invoice is reported as failed, with a reason, and does not undo the cancellation
    Source: "Cancel subscriptions and write off all unpaid invoices", "... using the REST API"; Zuora API reference, the processing options of an order
    Decision (MUST): the failure Zuora documents is an invoice that also bills another
    subscription, in a tenant without Invoice Item Settlement. Such an invoice keeps its balance
    and gets no write-off credit memo.
    Decision (SHOULD): Zuora's reference for an order's processing options says a failed
    write-off leaves the cancellation standing, while the message Zuora documents for this very
    case says the cancellation was not processed. The kit expects the first (the order completes and reports
    the write-off failed, with a reason) and only warns when the whole order is turned down.
    Decision (SHOULD): with Invoice Item Settlement the shared invoice can be settled item by
    item: the canceled subscription's part is written off, the other subscription's part keeps
    its balance.

    Example: The invoice also bills another subscription
      Given the tenant has Invoice Item Settlement disabled
      And the customer "Acme" subscribes to "Pro Monthly" from 2026-03-01
      And "Acme" has been issued an invoice of 130.00 USD on 2026-03-01
      When "Acme" cancels the "Basic Monthly" subscription as of 2026-03-16 and writes off unpaid invoices
      Then the invoice of "Acme" dated 2026-03-01 still has a balance of 130.00 USD
      And "Acme" has no write-off credit memo

    @should
    Example: The failure is reported and the cancellation stands
      Given the tenant has Invoice Item Settlement disabled
      And the customer "Acme" subscribes to "Pro Monthly" from 2026-03-01
      And "Acme" has been issued an invoice of 130.00 USD on 2026-03-01
      When "Acme" cancels the "Basic Monthly" subscription as of 2026-03-16 and writes off unpaid invoices
      Then the order is completed
      And the write-off of the invoice of "Acme" dated 2026-03-01 failed with a reason
      And the "Basic Monthly" subscription of "Acme" is cancelled as of 2026-03-16

    @should
    Example: With Invoice Item Settlement only the canceled subscription's part is written off
      Given the tenant has Invoice Item Settlement enabled
      And the customer "Acme" subscribes to "Pro Monthly" from 2026-03-01
      And "Acme" has been issued an invoice of 130.00 USD on 2026-03-01
      When "Acme" cancels the "Basic Monthly" subscription as of 2026-03-16 and writes off unpaid invoices
      Then the order wrote off 30.00 USD of the invoice of "Acme" dated 2026-03-01
      And the invoice of "Acme" dated 2026-03-01 has a balance of 100.00 USD

  @WO-FINANCE-INFORMATION
  Rule: Finance information given for the write-off is put on the write-off credit memo items only
    The items of the final credit memo, which credit the unused service, are not booked to the
    accounts given for the write-off; they may carry the accounting codes of their own charges.

    Source: "Cancel subscriptions and write off all unpaid invoices", "... using the REST API" (the finance information of a write-off)

    Example: A final credit memo and a write-off credit memo
      Given "Acme" has been issued an invoice of 30.00 USD on 2026-03-01
      When "Acme" cancels the "Basic Monthly" subscription as of 2026-03-16 with a final invoice and writes off unpaid invoices, booking the write-off to deferred revenue account "DR-4000"
      Then every item of every write-off credit memo of "Acme" is booked to deferred revenue account "DR-4000"
      And no item of the final credit memo of "Acme" is booked to deferred revenue account "DR-4000"
