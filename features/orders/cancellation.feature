@orders
Feature: The cancellation itself
  Whatever happens to the invoices, the order cancels the subscription as of its effective date,
  and its results can be found again afterwards. Rules from the document "Cancel subscriptions
  and write off all unpaid invoices".

  Background:
    Given the tenant has Invoice Settlement enabled
    And today is 2026-03-01
    And the customer "Acme" subscribes to "Basic Monthly" from 2026-03-01
    And "Acme" has been issued an invoice of 30.00 USD on 2026-03-01

  @WO-SUBSCRIPTION-CANCELLED
  Rule: The order completes and leaves the subscription cancelled as of the effective date
    Source: "Cancel subscriptions and write off all unpaid invoices", "... using the Zuora UI" (cancellation effective date) and "... using the REST API"
    Decision (MUST): the effective date follows Zuora's cancellation policies: a specific date;
    the end of the last invoiced period; the end of the current term (twelve months from the start
    here).

    Scenario Outline: Canceled <when>
      When "Acme" cancels the "Basic Monthly" subscription <when> and writes off unpaid invoices
      Then the order is completed
      And the "Basic Monthly" subscription of "Acme" is cancelled as of <effective date>

      Examples:
        | when                                  | effective date |
        | as of 2026-03-16                      | 2026-03-16     |
        | at the end of the last invoiced period | 2026-04-01     |
        | at the end of the current term        | 2027-03-01     |

  @WO-RESULTS-RETRIEVABLE
  Rule: The cancellation order can be looked up afterwards
    Source: "Cancel subscriptions and write off all unpaid invoices", "... using the Zuora UI" (the results can be found again later)

    Example: Looking the order up after the cancellation
      When "Acme" cancels the "Basic Monthly" subscription as of 2026-03-16 and writes off unpaid invoices
      And the order is looked up
      Then it is shown as completed, for the "Basic Monthly" subscription of "Acme"

  @WO-CUSTOM-FIELDS-KEPT
  Rule: Custom fields given to the order and to its cancellation are kept with the order
    Source: "Cancel subscriptions and write off all unpaid invoices", "... using the Zuora UI" (custom fields of the order and of the cancellation order action)

    Example: A custom field of the order
      When "Acme" cancels the "Basic Monthly" subscription as of 2026-03-16 and writes off unpaid invoices, recording "Moved abroad" as the order's reason for canceling
      And the order is looked up
      Then it shows "Moved abroad" as the order's reason for canceling

    Example: A custom field of the cancellation
      When "Acme" cancels the "Basic Monthly" subscription as of 2026-03-16 and writes off unpaid invoices, recording "Moved abroad" as the cancellation's reason for canceling
      And the order is looked up
      Then it shows "Moved abroad" as the cancellation's reason for canceling

  @WO-RESULT-NAMES-DOCUMENTS
  Rule: The cancellation's result names the order and the final invoice or credit memo it generated, all of them the customer's
    Source: "Cancel subscriptions and write off all unpaid invoices", "... using the Zuora UI" (the cancellation result shows the credit memo, the invoice and the order)
    Decision (MUST): Zuora's order lookup lists no documents, so the result checked is the answer
    to the order itself: its order number, the invoice numbers and the credit memo numbers it
    names (with the write-offs, each naming its own credit memo). Write-off credit memos may be
    named among the credit memos or not; the final document must be.

    Scenario Outline: <final document>
      Given <arranged>
      When "Acme" cancels the "Basic Monthly" subscription as of 2026-04-16 with a final invoice and writes off unpaid invoices
      Then the result names <invoices> and <credit memos> of "Acme" besides the write-offs
      And the order the result names can be looked up

      Examples:
        | final document                           | arranged                                                     | invoices       | credit memos     |
        | A final credit memo for the unused days  | "Acme" has been issued an invoice of 30.00 USD on 2026-04-01 | no invoice     | one credit memo  |
        | A final invoice for the days not billed  | today is 2026-04-16                                          | one invoice    | no credit memo   |

  @WO-ANY-POLICY
  Rule: Whatever the cancellation policy, unpaid invoices are written off when the order asks for it and only then
    Source: "Cancel subscriptions and write off all unpaid invoices", "... using the Zuora UI" (the write-off toggle) and "... using the REST API"; Zuora API reference, cancellation policies
    Decision (MUST): the write-off happens when the order is processed, even when the cancellation
    itself takes effect later (at the end of the current term).

    Scenario Outline: Canceled <when>, <asking>
      When "Acme" cancels the "Basic Monthly" subscription <when> <asking>
      Then the order is completed
      And the invoice of "Acme" dated 2026-03-01 has a balance of <balance>

      Examples:
        | when                                   | asking                                 | balance   |
        | at the end of the current term         | and writes off unpaid invoices         | 0.00 USD  |
        | at the end of the last invoiced period | and writes off unpaid invoices         | 0.00 USD  |
        | at the end of the current term         | without writing off unpaid invoices    | 30.00 USD |
        | at the end of the last invoiced period | without writing off unpaid invoices    | 30.00 USD |

  @WO-IDEMPOTENT-RETRY
  Rule: A cancellation order submitted again as a retry of the same order is processed only once
    Source: Zuora API reference, "Create an order" (the idempotency key a client may send with it)
    Decision (MUST): a retry is the same order sent again with the same idempotency key; it gets
    the first answer back and writes nothing off a second time. A target that does not take
    idempotency keys says so in its profile, and the example is then not applicable.

    Example: The same order is submitted twice
      When "Acme" cancels the "Basic Monthly" subscription as of 2026-03-16 and writes off unpaid invoices, submitting the same order again as a retry
      Then both answers name the same order
      And "Acme" has exactly one write-off credit memo
