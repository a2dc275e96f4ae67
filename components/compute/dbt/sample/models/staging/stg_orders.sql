-- One row per order: typed amounts and dates, statuses in lower case.
select
    cast(id as integer) as order_id,
    cast(customer_id as integer) as customer_id,
    cast(ordered_at as date) as ordered_on,
    cast(amount as decimal(12, 2)) as amount,
    lower(status) as status
from {{ source('raw', 'orders') }}
