INSERT INTO plans (name, slug, price_monthly, price_yearly) VALUES (:name, :slug, :cents, :cents * 10) ON CONFLICT (slug) DO NOTHING
