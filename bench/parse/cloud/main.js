// Cloud functions equivalent to CocoCloud's in bench/parse/coco/ (bench/vs-parse.sh calls both).

Parse.Cloud.define('hello', () => ({ message: 'Hello, World!' }));

// The page of issue 15: 10 published posts with views >= 100, newest first, each with its author (a Pointer to
// Author). Written as a Parse user would, without the master key; returns the list, as CocoCloud's `page` does.
Parse.Cloud.define('page', async () => {
  const query = new Parse.Query('Post');
  query.equalTo('status', 'published');
  query.greaterThanOrEqualTo('views', 100);
  query.descending('createdAt');
  query.include('author');
  query.limit(10);
  return query.find();
});
