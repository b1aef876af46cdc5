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

    Example: The order keeps its custom fields
      When "Acme" cancels the "Basic Monthly" subscription as of 2026-03-16 and writes off unpaid invoices, noting "Moved abroad" in the order field "CancelReason__c"
      And the order is looked up
      Then it shows "Moved abroad" in its field "CancelReason__c"
