@orders
Feature: When unpaid invoices can be written off while canceling a subscription
  Writing off every unpaid invoice of a subscription as it is canceled saves the customer from
  paying for a service they no longer have. It needs some tenant features, and it is only
  offered by an order processed at once. Rules from the document "Cancel subscriptions and
  write off all unpaid invoices".

  Background:
    Given the tenant has Invoice Settlement enabled
    And today is 2026-03-01
    And the customer "Acme" subscribes to "Basic Monthly" from 2026-03-01
    And "Acme" has been issued an invoice of 30.00 USD on 2026-03-01

  @WO-NEEDS-INVOICE-SETTLEMENT
  Rule: Writing off unpaid invoices requires the Invoice Settlement feature
    Source: "Cancel subscriptions and write off all unpaid invoices", Prerequisites

    Example: Invoice Settlement is enabled
      When "Acme" cancels the "Basic Monthly" subscription as of 2026-03-16 and writes off unpaid invoices
      Then the order is completed

    Example: Invoice Settlement is disabled
      Given the tenant has Invoice Settlement disabled
      When "Acme" cancels the "Basic Monthly" subscription as of 2026-03-16 and writes off unpaid invoices
      Then the order is refused because the tenant lacks Invoice Settlement
      And the "Basic Monthly" subscription of "Acme" is still active
      And the invoice of "Acme" dated 2026-03-01 still has a balance of 30.00 USD

  @WO-NEEDS-ORDERS-AND-WORKFLOW
  Rule: Writing off unpaid invoices requires the Orders and the Workflow features
    Source: "Cancel subscriptions and write off all unpaid invoices", Prerequisites
    Decision (SHOULD): the document lists the Workflow feature among the prerequisites, but Zuora's
    API reference ties the write-off only to Orders (the write-off is an order's processing
    option) and Invoice Settlement, and documents no refusal for a tenant without Workflow. The
    kit expects such an order to be refused with nothing changed, and only warns when it is
    carried out.

    Example: The Orders feature is disabled
      Given the tenant has the Orders feature disabled
      When "Acme" cancels the "Basic Monthly" subscription as of 2026-03-16 and writes off unpaid invoices
      Then the order is refused because the tenant lacks the Orders feature
      And the "Basic Monthly" subscription of "Acme" is still active
      And the invoice of "Acme" dated 2026-03-01 still has a balance of 30.00 USD

    @should
    Example: The Workflow feature is disabled
      Given the tenant has the Workflow feature disabled
      When "Acme" cancels the "Basic Monthly" subscription as of 2026-03-16 and writes off unpaid invoices
      Then the order is refused because the tenant lacks the Workflow feature
      And the "Basic Monthly" subscription of "Acme" is still active
      And the invoice of "Acme" dated 2026-03-01 still has a balance of 30.00 USD

    Example: Both features are enabled
      Given the tenant has the Orders feature enabled
      And the tenant has the Workflow feature enabled
      When "Acme" cancels the "Basic Monthly" subscription as of 2026-03-16 and writes off unpaid invoices
      Then the order is completed

  @WO-SYNC-ONLY
  Rule: Only an order processed at once can write off unpaid invoices, never an asynchronous order
    Source: "Cancel subscriptions and write off all unpaid invoices", "... using the REST API"
    Decision (SHOULD): the asynchronous order may be refused when it is submitted or end as a
    failed job; either way nothing changes. Zuora documents no error for it; this is the kit's
    decision.

    Example: An asynchronous order asks for the write-off
      When "Acme" cancels the "Basic Monthly" subscription with these options:
        | effective date | 2026-03-16     |
        | processing     | asynchronously |
        | write off      | yes            |
      Then the invoice of "Acme" dated 2026-03-01 still has a balance of 30.00 USD
      And "Acme" has no write-off credit memo

    @should
    Example: The asynchronous order that asks for the write-off is turned down as a whole
      When "Acme" cancels the "Basic Monthly" subscription with these options:
        | effective date | 2026-03-16     |
        | processing     | asynchronously |
        | write off      | yes            |
      Then the order is refused because an asynchronous order cannot write off unpaid invoices
      And the "Basic Monthly" subscription of "Acme" is still active

    Example: An asynchronous order cancels without write-off
      When "Acme" cancels the "Basic Monthly" subscription with these options:
        | effective date | 2026-03-16     |
        | processing     | asynchronously |
        | write off      | no             |
      Then the order is completed
      And the "Basic Monthly" subscription of "Acme" is cancelled as of 2026-03-16
      And the invoice of "Acme" dated 2026-03-01 still has a balance of 30.00 USD

  @WO-NO-PAYMENT-COLLECTION @should
  Rule: An order that writes off unpaid invoices should not also collect a payment
    Source: "Cancel subscriptions and write off all unpaid invoices", "... using the REST API" (the option to collect a payment)
    Decision (SHOULD): the document tells the caller to leave payment collection off when writing
    off. Zuora's reference for an order's processing options forbids collecting a payment only
    together with a refund, or without a final invoice; it documents no refusal of a write-off
    that also collects one. The kit expects such an order to be refused with nothing changed, and
    only warns when it is carried out.

    Example: The order also collects a payment
      When "Acme" cancels the "Basic Monthly" subscription with these options:
        | effective date  | 2026-03-16 |
        | final invoice   | yes        |
        | collect payment | yes        |
        | write off       | yes        |
      Then the order is refused because it cannot write off unpaid invoices and collect a payment at once
      And the "Basic Monthly" subscription of "Acme" is still active
      And the invoice of "Acme" dated 2026-03-01 still has a balance of 30.00 USD

    Example: The order collects no payment
      When "Acme" cancels the "Basic Monthly" subscription with these options:
        | effective date  | 2026-03-16 |
        | final invoice   | yes        |
        | collect payment | no         |
        | write off       | yes        |
      Then the order is completed

  @WO-COLLECT-NEEDS-BILLING
  Rule: An order can collect a payment only when it also generates the final invoice
    Source: "Cancel subscriptions and write off all unpaid invoices", "... using the REST API" (the options to bill a final invoice and to collect a payment)

    Example: A payment is collected without a final invoice
      When "Acme" cancels the "Basic Monthly" subscription with these options:
        | effective date  | 2026-04-16 |
        | final invoice   | no         |
        | collect payment | yes        |
        | write off       | no         |
      Then the order is refused because it collects a payment without a final invoice
      And the "Basic Monthly" subscription of "Acme" is still active

    Example: A payment is collected for the final invoice
      Given today is 2026-04-16
      When "Acme" cancels the "Basic Monthly" subscription with these options:
        | effective date  | 2026-04-16 |
        | final invoice   | yes        |
        | collect payment | yes        |
        | write off       | no         |
      Then the order is completed
      And the invoice of "Acme" dated 2026-04-16 has a balance of 0.00 USD

  @WO-OPTIONS-STATED @should
  Rule: An order that writes off unpaid invoices states whether to bill and collect, and the document and target dates
    Source: "Cancel subscriptions and write off all unpaid invoices", "... using the REST API" (the table of processing options)
    Decision (SHOULD): the document marks these options as required for a write-off, while Zuora's
    published API models leave them optional. The kit expects an order without one of them to be
    refused with nothing changed, and only warns when a target fills in a default instead.

    Scenario Outline: The order does not state <option>
      When "Acme" cancels the "Basic Monthly" subscription as of 2026-03-16 and writes off unpaid invoices, without stating <option>
      Then the order is refused because it does not state <option>
      And the "Basic Monthly" subscription of "Acme" is still active
      And the invoice of "Acme" dated 2026-03-01 still has a balance of 30.00 USD

      Examples:
        | option                           |
        | whether to bill a final invoice  |
        | whether to collect a payment     |
        | the document date                |
        | the target date                  |
