-- Completed orders and revenue per day.
select
    ordered_on,
    count(*) as completed_orders,
    sum(amount) as revenue
from {{ ref('stg_orders') }}
where status = 'completed'
group by ordered_on
