"""Writes fixtures/packs/logistic/*.json: week 2's printed values, as data with their sources (repository, commit,
cell or line). The values are the notebooks' Expected Output tables and W2A2's public_tests.py literals, copied
verbatim; the inputs are the literals the notebooks build (W2A2's model_test draws its own from np.random.seed(0)).

    python3 scripts/build_logistic_packs.py      # from the repository's root
"""
import json
def out(select, expected, name=None, fmt=None, cell=None, lines=None):
    o={"select":select,"expected":expected}
    if name: o["name"]=name
    if fmt: o["format"]=fmt
    if lines: o["lines"]=lines
    return o
def case(id, fn, args, outputs, setup=None, **kw):
    c={"id":id,"function":fn,"setup":setup or [],"args":args,"outputs":outputs}; c.update(kw); return c
def let(n,v): return {"let":n,"value":v}
def pack(name,title,source,cases,issues=None):
    p={"format":"dnn-verify/fixture-pack@1","assignment":"logistic","name":name,"title":title,"source":source}
    if issues: p["known_issues"]=issues
    p["cases"]=cases
    json.dump(p,open(f"fixtures/packs/logistic/{name}.json","w"),indent=1,ensure_ascii=False); open(f"fixtures/packs/logistic/{name}.json","a").write("\n")

# v3 and the unnumbered 2017 notebook: integer inputs, two examples
pack("logistic-v3-en","Logistic Regression with a Neural Network mindset (v3; the unnumbered 2017 notebook prints the same)",
 "the v3 notebook's Expected Output tables (cells 20, 24, 28, 32, 36), as published in github.com/EchoChung6/Deep_Learning_Assignment@648922d61f2d644bf50638aa79a58ea3f5d4b0e0 (Logistic+Regression+with+a+Neural+Network+mindset+v3.ipynb); the same tables are in github.com/Kulbear/deep-learning-coursera@997fdb2e2db67acd45d29ae418212463a54be06d",
 [
  case("sigmoid","sigmoid",[{"array":[0,2]}],[out([],"[ 0.5         0.88079708]","sigmoid([0, 2])")]),
  case("initialize_with_zeros","initialize_with_zeros",[2],[out([0],"[[ 0.]\n [ 0.]]","w"),out([1],"0","b",fmt="repr")]),
  case("propagate","propagate",["$w",2,"$X","$Y"],[out([0,"dw"],"[[ 0.99993216]\n [ 1.99980262]]","dw"),out([0,"db"],"0.499935230625","db",fmt="repr"),out([1],"6.000064773192205","cost",fmt="repr")],
       setup=[let("w",[[1],[2]]),let("X",[[1,2],[3,4]]),let("Y",[[1,0]])]),
  case("optimize","optimize",["$w",2,"$X","$Y",100,0.009,False],[out([0,"w"],"[[ 0.1124579 ]\n [ 0.23106775]]","w"),out([0,"b"],"1.55930492484","b",fmt="repr"),out([1,"dw"],"[[ 0.90158428]\n [ 1.76250842]]","dw"),out([1,"db"],"0.430462071679","db",fmt="repr"),out([2],"1","costs",fmt="len")],
       setup=[let("w",[[1],[2]]),let("X",[[1,2],[3,4]]),let("Y",[[1,0]])]),
  case("predict","predict",["$w",2,"$X"],[out([],"[[ 1.  1.]]","predictions")],setup=[let("w",[[1],[2]]),let("X",[[1,2],[3,4]])]),
 ],
 ["The cell of predict calls predict(w, b, X) with the w, b and X of the propagate cell (optimize returns new values; it does not rebind them).",
  "optimize's costs are not printed; their count (one, at iteration 0 of 100) follows from the notebook's `if i % 100 == 0` and is checked with format len."])

V6A=[let("w",[[1.],[2.]]),let("X",[[1.,2.,-1.],[3.,4.,-3.2]]),let("Y",[[1,0,1]])]
pack("logistic-v6a-en","Logistic Regression with a Neural Network mindset (v4, v5, v6, v6a: the same tables)",
 "the v6a notebook's Expected Output tables (cells 21, 25, 29, 33, 37), as published in github.com/4ringutan/Neural-network-and-deep-learning@e24b3cba14b1237feaf3c77a12f91e66c289af40 (Logistic_Regression_with_a_Neural_Network_mindset_v6a.ipynb); v4 (github.com/Gan-Jiang/Deep-Learning-Coursera@81e42d45, cells 20-36), v5 (github.com/15JE001314/Deep-Neural-Nework-Coursera@3552ef42) and v6 print the same values",
 [
  case("sigmoid","sigmoid",[{"array":[0,2]}],[out([],"[ 0.5         0.88079708]","sigmoid([0, 2])")]),
  case("initialize_with_zeros","initialize_with_zeros",[2],[out([0],"[[ 0.]\n [ 0.]]","w"),out([1],"0","b",fmt="repr")]),
  case("propagate","propagate",["$w",2.0,"$X","$Y"],[out([0,"dw"],"[[ 0.99845601]\n [ 2.39507239]]","dw"),out([0,"db"],"0.00145557813678","db",fmt="repr"),out([1],"5.801545319394553","cost",fmt="repr")],setup=V6A),
  case("optimize","optimize",["$w",2.0,"$X","$Y",100,0.009,False],[out([0,"w"],"[[ 0.19033591]\n [ 0.12259159]]","w"),out([0,"b"],"1.92535983008","b",fmt="repr"),out([1,"dw"],"[[ 0.67752042]\n [ 1.41625495]]","dw"),out([1,"db"],"0.219194504541","db",fmt="repr"),out([2],"1","costs",fmt="len")],setup=V6A),
  case("predict","predict",["$w",-0.3,"$X"],[out([],"[[ 1.  1.  0.]]","predictions")],setup=[let("w",[[0.1124579],[0.23106775]]),let("X",[[1.,-1.1,-3.2],[1.2,2.,0.1]])]),
 ],
 ["optimize's costs are not printed; their count (one, at iteration 0 of 100) follows from the notebook's `if i % 100 == 0` and is checked with format len.",
  "The model's printed figures (cost 0.693147 at iteration 0, train 99.04306220095694 %, test 70.0 %, cell 43) run on the cat data: `dnn-verify train --model logistic` reproduces them."])

pack("logistic-w2a2-en-notebook","Logistic Regression with a Neural Network mindset (W2A2, 2021 on): the notebook's printed output",
 "the W2A2 notebook's Expected output of propagate (cell 28), as published in github.com/Abhi9133/logistic-regression-with-neural-network@1949d90b5ef0f2171c5e6e7cabed0fa862699e42 (Logistic_Regression_with_a_Neural_Network_mindset.ipynb)",
 [
  case("propagate","propagate",["$w",1.5,"$X","$Y"],[out([0,"dw"],"[[ 0.25071532]\n [-0.06604096]]","dw"),out([0,"db"],"-0.1250040450043965","db",fmt="repr"),out([1],"0.15900537707692405","cost",fmt="repr")],
       setup=[let("w",[[1.],[2]]),let("X",[[1.,-2.,-1.],[3.,0.5,-3.2]]),let("Y",[[1,1,0]])]),
 ],
 ["W2A2's other exercises print no Expected output table; their expected values are public_tests.py's (pack logistic-w2a2-en-public-tests)."])

pack("logistic-w2a2-en-public-tests","Logistic Regression with a Neural Network mindset (W2A2, 2021 on): public_tests.py",
 "public_tests.py of the W2A2 notebook, as in github.com/greyhatguy007/deep-learning-specialization@dcc0454449e8c0bc0d7aa63dbf640b4a138c3c6b (C1-NeuralNetworksAndDeepLearning/week2/W2A2/public_tests.py)",
 [
  case("sigmoid","sigmoid",[{"array":[0,2]}],[out([],"[0.5, 0.88079708]","sigmoid([0, 2])",lines=[8,8])]),
  case("initialize_with_zeros-3","initialize_with_zeros",[3],[out([0],"[[0.], [0.], [0.]]","w",lines=[22,22]),out([1],"0.","b",fmt="repr",lines=[18,19])]),
  case("initialize_with_zeros-4","initialize_with_zeros",[4],[out([0],"[[0.], [0.], [0.], [0.]]","w",lines=[32,32]),out([1],"0.","b",fmt="repr",lines=[28,29])]),
  case("propagate","propagate",["$w",2.5,"$X","$Y"],[out([0,"dw"],"[[-0.03909333], [ 0.12501464], [-0.99960809]]","dw",lines=[40,40]),out([0,"db"],"0.288106326429569","db",fmt="repr",lines=[41,41]),out([1],"2.0424567983978403","cost",fmt="repr",lines=[44,44])],
       setup=[let("w",[[1.],[2.],[-1]]),let("X",[[1.,2.,-1.,0],[3.,4.,-3.2,1],[3.,4.,-3.2,-3.5]]),let("Y",[[1,1,0,0]])]),
  case("optimize","optimize",["$w",2.0,"$X","$Y",101,0.1,False],[out([0,"w"],"[[-0.70916784], [-0.42390859]]","w",lines=[58,58]),out([0,"b"],"2.26891346","b",fmt="repr",lines=[59,59]),out([1,"dw"],"[[0.06188603], [-0.01407361]]","dw",lines=[63,63]),out([2],"2","costs",fmt="len",lines=[74,74]),out([2,0],"5.80154532","costs[0]",fmt="repr",lines=[68,68]),out([2,1],"0.31057104","costs[1]",fmt="repr",lines=[68,68])],
       setup=[let("w",[[1.],[2.]]),let("X",[[1.,2.,-1.],[3.,4.,-3.2]]),let("Y",[[1,0,1]])]),
  case("predict","predict",["$w",-0.33333,"$X"],[out([],"[[1., 0., 1]]","pred",lines=[102,102])],setup=[let("w",[[0.3],[0.5],[-0.2]]),let("X",[[1.,-0.3,1.5],[2,0,1],[0,-1.5,2]])]),
  case("model","model",["$X","$Y","$x_test","$y_test",50,0.01],[out(["costs"],"1","costs",fmt="len",lines=[128,128]),out(["costs",0],"0.69314718","costs[0]",fmt="repr",lines=[109,109]),out(["Y_prediction_test"],"[[1., 1., 0.]]","Y_prediction_test",lines=[110,110]),out(["Y_prediction_train"],"[[1., 1., 0., 1., 0., 0., 1.]]","Y_prediction_train",lines=[111,111]),out(["w"],"[[ 0.08639757], [-0.08231268], [-0.11798927], [ 0.12866053]]","w",lines=[112,115]),out(["b"],"-0.03983236094816321","b",fmt="repr",lines=[116,116])],
       setup=[{"seed":0},{"randn":"X","shape":[4,7]},{"randn":"x_test","shape":[4,3]},let("Y",[[1,0,0,1,0,0,1]]),let("y_test",[0,1,0])]),
 ],
 ["public_tests.py compares with np.allclose (rtol 1e-5, atol 1e-8); these values are compared at their printed precision, which is stricter.",
  "The values are the test file's literals, not prints of a notebook run: compared as numbers and shapes.",
  "Two literals are cut, not rounded, and left out: optimize's expected_db = -0.04709353 (line 64; NumPy gives -0.0470935376...) and sigmoid(1) = 0.7310585 (line 10; 0.7310585786...). np.allclose accepts them; at their printed precision they would reject the right value.",
  "initialize_with_zeros_test asserts type(b) == float: an int b = 0 fails the course's test; here it passes with an int-bias warning (older versions print b = 0 themselves).",
  "model_test draws X = randn(4, 7) then x_test = randn(4, 3) after np.random.seed(0), and passes y_test as a 1-D array."])
