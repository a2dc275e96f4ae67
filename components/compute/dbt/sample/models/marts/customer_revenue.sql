-- Completed orders and revenue per customer; customers without a completed order show zero.
select
    c.customer_id,
    c.customer_name,
    c.country_code,
    count(o.order_id) as completed_orders,
    coalesce(sum(o.amount), 0) as revenue,
    min(o.ordered_on) as first_order_on,
    max(o.ordered_on) as last_order_on
from {{ ref('stg_customers') }} as c
left join {{ ref('stg_orders') }} as o
    on o.customer_id = c.customer_id
    and o.status = 'completed'
group by c.customer_id, c.customer_name, c.country_code
