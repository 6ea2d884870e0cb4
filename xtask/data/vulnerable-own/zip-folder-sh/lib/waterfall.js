'use strict';

/**
 * Minimal async waterfall: every task receives the results of the
 * previous one followed by a `next` callback.
 */
module.exports = function waterfall(tasks, done) {
  var index = 0;
  done = done || function () {};

  function next(err) {
    if (err || index === tasks.length) {
      return done.apply(null, arguments);
    }
    var args = Array.prototype.slice.call(arguments, 1);
    var task = tasks[index++];
    args.push(once(next));
    try {
      task.apply(null, args);
    } catch (e) {
      done(e);
    }
  }

  function once(fn) {
    var called = false;
    return function () {
      if (called) return;
      called = true;
      fn.apply(null, arguments);
    };
  }

  next(null);
};
