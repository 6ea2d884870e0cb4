'use strict';

const express = require('express');
const vm = require('vm');
const path = require('path');
const fs = require('fs');

const app = express();
const dataFile = process.env.DATA_FILE || path.join(__dirname, 'products.json');

function loadProducts() {
  try {
    return JSON.parse(fs.readFileSync(dataFile, 'utf8'));
  } catch (e) {
    return [
      { id: 1, name: 'Desk lamp', price: 24.9, stock: 12, tags: ['home'] },
      { id: 2, name: 'Keyboard', price: 89, stock: 0, tags: ['office', 'tech'] },
      { id: 3, name: 'Notebook', price: 4.5, stock: 240, tags: ['office'] }
    ];
  }
}

const products = loadProducts();

// ?where=price < 50 && stock > 0
function matches(item, where) {
  const sandbox = Object.assign({}, item);
  return Boolean(vm.runInNewContext(where, sandbox, { timeout: 50 }));
}

app.get('/api/products', (req, res) => {
  let items = products;
  const { where, sort, limit } = req.query;

  try {
    if (where) items = items.filter((item) => matches(item, where));
  } catch (err) {
    return res.status(400).json({ error: 'bad filter: ' + err.message });
  }

  if (sort) {
    const desc = sort.startsWith('-');
    const key = desc ? sort.slice(1) : sort;
    items = items.slice().sort((a, b) => (a[key] > b[key] ? 1 : -1) * (desc ? -1 : 1));
  }
  if (limit) items = items.slice(0, Number(limit));

  res.json({ count: items.length, items });
});

app.get('/api/products/:id', (req, res) => {
  const item = products.find((p) => String(p.id) === req.params.id);
  if (!item) return res.status(404).json({ error: 'not found' });
  res.json(item);
});

module.exports = app;

if (require.main === module) {
  app.listen(process.env.PORT || 4000);
}
