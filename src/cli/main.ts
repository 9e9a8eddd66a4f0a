#!/usr/bin/env node
console.log('churnwatch');
